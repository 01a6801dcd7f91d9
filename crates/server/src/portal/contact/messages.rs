//! Messages about a booking between its business and its worker: the
//! thread and its form on the business's booking page (`/b/bookings/{id}`)
//! and on the worker's own booking page (`/w/bookings/{id}`), over
//! `slivers_exchange::messages`. The store decides who may read and write
//! (the two parties and operators) and from which booking state.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slivers_core::contact::booking_allows_messages;
use slivers_core::ids::BookingId;
use slivers_core::Zone;
use slivers_exchange::{bookings, businesses, messages, workers};
use slivers_store::{Booking, MessageAuthor, Page, Scope};

use super::{lines, refused};
use crate::portal::form::Posted;
use crate::portal::clocks::Clocks;
use crate::portal::layout::{render_status, when, Nav, Refusal};
use crate::portal::session::Session;
use crate::portal::{business, worker, PortalError};
use crate::AppState;

pub struct Line {
    pub who: String,
    pub at: String,
    pub lines: Vec<String>,
}

/// The thread on one booking as the signed-in party reads it.
pub struct Conversation {
    pub action: String,
    pub messages: Vec<Line>,
    /// Whether the booking takes messages now (the form is shown only then).
    pub open: bool,
    /// Who the reader writes to.
    pub with: String,
    /// What the reader typed, kept when sending was refused.
    pub draft: String,
}

/// The conversation on `b`, which the caller has already read in the
/// reader's scope; `counterpart` is the other party's name.
pub async fn conversation(state: &AppState, s: &Session, b: &Booking, zone: &Zone, counterpart: String) -> Result<Conversation, PortalError> {
    let list = messages::list(&state.exchange, &s.principal(), b.id, Page::all()).await?;
    let mine = match s.scope() {
        Scope::Business(_) => MessageAuthor::Business,
        Scope::Worker(_) => MessageAuthor::Worker,
        Scope::All => MessageAuthor::Operator,
    };
    let base = if mine == MessageAuthor::Worker { "/w" } else { "/b" };
    Ok(Conversation {
        action: format!("{base}/bookings/{}/messages", b.id),
        messages: list
            .iter()
            .map(|m| Line {
                who: match m.author {
                    a if a == mine => "You".into(),
                    MessageAuthor::Operator => "Slivers support".into(),
                    _ => counterpart.clone(),
                },
                at: when(m.at, zone),
                lines: lines(&m.text),
            })
            .collect(),
        open: booking_allows_messages(b.status),
        with: counterpart,
        draft: String::new(),
    })
}

/// Send, and say how it went: the notice or the refusal, the status to
/// answer, and the text to keep in the form.
async fn send(state: &AppState, s: &Session, id: BookingId, form: &Posted) -> Result<(String, Option<Refusal>, StatusCode, String), PortalError> {
    let text = form.fields.get("text").unwrap_or("").to_string();
    match messages::send(&state.exchange, &s.principal(), id, &text).await {
        Ok(_) => Ok(("Message sent.".into(), None, StatusCode::OK, String::new())),
        Err(e) => {
            let (r, code) = refused(e)?;
            Ok((String::new(), Some(r), code, text))
        }
    }
}

/// A message from the business on its booking page.
pub async fn business_send(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    business::mine(&s)?;
    // Read in the business's scope first: another's booking is a 404 before the text is judged.
    bookings::get(&state.exchange, &s.principal(), BookingId(id)).await?;
    let (notice, refusal, code, draft) = send(&state, &s, BookingId(id), &form).await?;
    let mut page = business::booking_page(&state, &s, id, notice, refusal).await?;
    page.conversation.draft = draft;
    render_status(code, &page)
}

#[derive(Template)]
#[template(path = "contact/worker_booking.html")]
struct WorkerBooking {
    nav: Nav,
    id: i64,
    zone: String,
    when: String,
    business: String,
    pay: String,
    status: &'static str,
    notice: String,
    refusal: Option<Refusal>,
    conversation: Conversation,
}

async fn worker_page(state: &AppState, s: &Session, id: i64, notice: String, refusal: Option<Refusal>) -> Result<WorkerBooking, PortalError> {
    let me = worker::me(s)?;
    let who = s.principal();
    // Scoped to the worker: anyone else's booking is not found.
    let b = bookings::get(&state.exchange, &who, BookingId(id)).await?;
    let zone = workers::profile(&state.exchange, &who, me).await?.zone;
    // Workers may see who they work for; the name is not tenant data.
    let name = businesses::business_name(&state.exchange, b.business_id).await?;
    Ok(WorkerBooking {
        nav: Nav::new(s, ""),
        id,
        zone: zone.name().to_string(),
        when: Clocks::new(state, s.principal()).for_worker(b.window, &zone, b.shift_id).await,
        pay: b.pay.to_string(),
        status: b.status.as_str(),
        conversation: conversation(state, s, &b, &zone, name.clone()).await?,
        business: name,
        notice,
        refusal,
    })
}

/// The worker's own booking: what, when, for whom, and the messages.
pub async fn worker_booking(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &worker_page(&state, &s, id, String::new(), None).await?)
}

/// A message from the worker on their booking page.
pub async fn worker_send(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    worker::me(&s)?;
    bookings::get(&state.exchange, &s.principal(), BookingId(id)).await?;
    let (notice, refusal, code, draft) = send(&state, &s, BookingId(id), &form).await?;
    let mut page = worker_page(&state, &s, id, notice, refusal).await?;
    page.conversation.draft = draft;
    render_status(code, &page)
}
