//! The delivery loop of the transactional outbox. The store writes outbox
//! rows in the transaction of the change they report; this claims due rows,
//! sends each (email over SMTP, webhooks over HTTP with Standard Webhooks
//! signatures) and records the outcome. Delivery is at least once: a loop
//! killed between a send and its record sends again after the claim's lease,
//! with the same Message-ID or `webhook-id`, so receivers can drop the repeat.

pub mod render;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use slivers_store::{Channel, OutboxItem, Outcome, Scope};

use crate::{Exchange, ExchangeError, Result};

/// Where email goes: an SMTP server that relays without authentication
/// (a local MTA or a relay on a private network).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// The `From:` of every email, e.g. `Slivers <noreply@slivers.example>`.
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct NotifierSettings {
    /// `None`: emails wait in the outbox until a server is configured.
    pub smtp: Option<SmtpSettings>,
    /// The portal's address, for links in emails.
    pub public_url: String,
}

/// What one pass of the loop did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// How long each send may take: well within the store's claim lease.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Emails are retried this long (an MTA's usual queue lifetime) before they are given up.
const EMAIL_GIVE_UP: SignedDuration = SignedDuration::from_hours(72);
const BATCH: i64 = 50;

/// Crash tests only: with `SLIVERS_FAILPOINT=after-send` the process aborts
/// (no unwinding, no cleanup: as `kill -9` would) right after the SMTP server
/// accepted an email and before the outcome is recorded, the one moment at
/// which a crash can duplicate a delivery.
static CRASH_AFTER_SEND: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var("SLIVERS_FAILPOINT").is_ok_and(|v| v == "after-send"));

pub struct Notifier {
    ex: Exchange,
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    http: reqwest::Client,
    public_url: String,
}

/// `List-Unsubscribe`: mail clients offer a one-click unsubscribe from it.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post`: the link takes a one-click POST (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// Wait before the next try of an email after `attempts` tries: 10 s doubling to at most 5 min.
fn email_backoff(attempts: i64) -> SignedDuration {
    let exp = u32::try_from(attempts.clamp(1, 6) - 1).unwrap_or(0);
    SignedDuration::from_secs((10i64 << exp).min(300))
}

impl Notifier {
    pub fn new(ex: Exchange, settings: NotifierSettings) -> Result<Self> {
        let smtp = match settings.smtp {
            Some(s) => {
                let from: Mailbox = s.from.parse().map_err(|e| ExchangeError::Internal(format!("bad sender address `{}`: {e}", s.from)))?;
                // No TLS and no credentials: the relay is on loopback or a private network.
                let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host).port(s.port).timeout(Some(SEND_TIMEOUT)).build();
                Some((transport, from))
            }
            None => None,
        };
        let http = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ExchangeError::Internal(format!("http client: {e}")))?;
        Ok(Notifier { ex, smtp, http, public_url: settings.public_url })
    }

    /// Send everything due now, batch by batch, until nothing is due.
    pub async fn deliver_due(&self) -> Result<Report> {
        let mut report = Report::default();
        let mut channels = vec![Channel::Webhook];
        if self.smtp.is_some() {
            channels.push(Channel::Email);
        }
        for channel in channels {
            loop {
                let now = self.ex.now();
                let batch = self.ex.store.claim_due_notifications(now, channel, BATCH).await?;
                if batch.is_empty() {
                    break;
                }
                for item in batch {
                    let outcome = self.send(&item, now).await;
                    match &outcome {
                        Outcome::Delivered { .. } => report.delivered += 1,
                        Outcome::Retry { error, .. } => {
                            report.retried += 1;
                            tracing::info!(id = item.id, channel = item.channel.as_str(), error = %error, "delivery will be retried");
                        }
                        Outcome::GiveUp { error, .. } => {
                            report.failed += 1;
                            tracing::warn!(id = item.id, channel = item.channel.as_str(), error = %error, "delivery given up");
                        }
                    }
                    self.ex.store.record_delivery(item.id, now, &outcome).await?;
                }
            }
        }
        Ok(report)
    }

    /// Deliver in the background every `every`.
    pub fn run(self: Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.deliver_due().await {
                    tracing::warn!(error = %e, "notification delivery pass failed");
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// Send one claimed row and say what came of it, without recording it:
    /// [`Notifier::deliver_due`] records; a process that dies here leaves
    /// the row to be sent again once its lease runs out.
    pub async fn send(&self, item: &OutboxItem, now: Timestamp) -> Outcome {
        match item.channel {
            Channel::Email => self.send_email(item, now).await,
            Channel::Webhook => self.send_webhook(item, now).await,
        }
    }

    async fn send_email(&self, item: &OutboxItem, now: Timestamp) -> Outcome {
        let Some((transport, from)) = &self.smtp else {
            return Outcome::Retry { at: now + email_backoff(item.attempts), code: None, error: "no SMTP server configured".into() };
        };
        let to: Mailbox = match item.recipient.parse() {
            Ok(to) => to,
            Err(e) => return Outcome::GiveUp { code: None, error: format!("bad recipient address: {e}"), disable_endpoint: None },
        };
        let rendered = render::render(item, &self.public_url);
        let mut body = rendered.body;
        let mut builder = Message::builder()
            .message_id(Some(item.message_id.clone()))
            .from(from.clone())
            .to(to)
            .subject(rendered.subject)
            .header(ContentType::TEXT_PLAIN);
        let essential = slivers_core::notifications::topic(&item.topic).is_none_or(|t| t.essential);
        if !essential && let Some(link) = self.unsubscribe_link(item).await {
            body.push_str(&format!("\n\nTo stop these emails ({}): {link}", item.topic));
            builder = builder.header(ListUnsubscribe(link)).header(ListUnsubscribePost);
        }
        let message = match builder.body(body) {
            Ok(m) => m,
            Err(e) => return Outcome::GiveUp { code: None, error: format!("cannot build the email: {e}"), disable_endpoint: None },
        };
        match transport.send(message).await {
            Ok(reply) => {
                if *CRASH_AFTER_SEND {
                    std::process::abort();
                }
                Outcome::Delivered { code: Some(i64::from(u16::from(reply.code()))) }
            }
            Err(e) => {
                let code = e.status().map(|c| i64::from(u16::from(c)));
                let error = e.to_string();
                if e.is_permanent() || now.duration_since(item.created_at) > EMAIL_GIVE_UP {
                    Outcome::GiveUp { code, error, disable_endpoint: None }
                } else {
                    Outcome::Retry { at: now + email_backoff(item.attempts), code, error }
                }
            }
        }
    }

    async fn unsubscribe_link(&self, item: &OutboxItem) -> Option<String> {
        let user = item.user_id?;
        let candidate = crate::credentials::new_token().ok()?;
        let key = self.ex.store.unsubscribe_key(user, &candidate).await.ok()?;
        Some(format!("{}/email/unsubscribe?key={key}&topic={}", self.public_url.trim_end_matches('/'), item.topic))
    }

    async fn send_webhook(&self, item: &OutboxItem, now: Timestamp) -> Outcome {
        let Some(endpoint_id) = item.endpoint_id else {
            return Outcome::GiveUp { code: None, error: "webhook row without an endpoint".into(), disable_endpoint: None };
        };
        let endpoint = match self.ex.store.get_webhook_endpoint(endpoint_id, &Scope::All).await {
            Ok(e) => e,
            Err(e) => return Outcome::Retry { at: now + SignedDuration::from_mins(1), code: None, error: e.to_string() },
        };
        if !endpoint.enabled {
            return Outcome::GiveUp { code: None, error: "the endpoint is disabled".into(), disable_endpoint: None };
        }
        let body = item.data.to_string();
        let mut secrets = vec![endpoint.secret.as_str()];
        if let Some((previous, until)) = &endpoint.previous_secret
            && *until > now
        {
            secrets.push(previous);
        }
        // The signed timestamp is the wall clock of the send: receivers check
        // it against their own clock (five minutes' tolerance).
        let sent_at = Timestamp::now().as_second();
        let Some(signature) = webhook::signature_header(&secrets, &item.message_id, sent_at, &body) else {
            return Outcome::GiveUp { code: None, error: "the endpoint's secret is not valid base64".into(), disable_endpoint: None };
        };
        let answer = self
            .http
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("webhook-id", &item.message_id)
            .header("webhook-timestamp", sent_at.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        let (code, error) = match answer {
            Ok(r) if r.status().is_success() => return Outcome::Delivered { code: Some(i64::from(r.status().as_u16())) },
            Ok(r) if r.status() == reqwest::StatusCode::GONE => {
                return Outcome::GiveUp {
                    code: Some(410),
                    error: "the endpoint answered 410 Gone".into(),
                    disable_endpoint: Some("the endpoint answered 410 Gone".into()),
                };
            }
            Ok(r) => (Some(i64::from(r.status().as_u16())), format!("the endpoint answered {}", r.status())),
            Err(e) => (None, format!("could not reach the endpoint: {e}")),
        };
        let failures = endpoint.consecutive_failures + 1;
        if failures >= webhook::DISABLE_AFTER_FAILURES {
            let why = format!("{failures} failed attempts in a row");
            return Outcome::GiveUp { code, error, disable_endpoint: Some(why) };
        }
        match webhook::next_attempt(now, item.attempts) {
            Some(at) => Outcome::Retry { at, code, error },
            None => Outcome::GiveUp { code, error, disable_endpoint: None },
        }
    }
}
