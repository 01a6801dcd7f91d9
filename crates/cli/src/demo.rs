//! The demo market behind `slivers demo` and `slivers serve --demo`.

use anyhow::{Context, Result};
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use slivers_demo::MarketSpec;
use slivers_exchange::credentials;
use slivers_store::{NewUser, Page, Role, Store};

/// Every demo account shares this password, printed with the tokens.
pub const DEMO_PASSWORD: &str = "slivers-demo-password";
const OPERATOR_EMAIL: &str = "operator@demo.slivers.test";
/// Demo workers with logins; the rest exist only as profiles.
const WORKER_LOGINS: usize = 50;

#[derive(clap::Args, Clone)]
pub struct SpecArgs {
    /// Seed for the synthetic market: the same seed gives the same market.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 2000)]
    workers: usize,
    #[arg(long, default_value_t = 100)]
    businesses: usize,
    #[arg(long, default_value_t = 1000)]
    shifts: usize,
    /// Weeks of shifts from now.
    #[arg(long, default_value_t = 4)]
    weeks: u32,
}

impl SpecArgs {
    pub fn spec(&self) -> Result<MarketSpec> {
        // Shifts start after the next whole hour, so every one is in the future.
        let now = Timestamp::now();
        let start = now.round(jiff::Unit::Hour).context("rounding now")?.checked_add(1.hour()).context("start")?;
        Ok(MarketSpec { seed: self.seed, workers: self.workers, businesses: self.businesses, shifts: self.shifts, start, weeks: self.weeks })
    }
}

#[derive(Debug, Serialize)]
pub struct Account {
    pub email: String,
    pub token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_id: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct DemoTokens {
    pub password: &'static str,
    pub operator: Account,
    pub business: Account,
    pub worker: Account,
}

pub async fn has_market(store: &dyn Store) -> Result<bool> {
    Ok(!store.list_workers(Page::new(Some(1), None)).await?.is_empty())
}

/// Load the market unless the database already has one; then mint fresh tokens.
pub async fn ensure_loaded(store: &std::sync::Arc<dyn Store>, spec: &MarketSpec) -> Result<DemoTokens> {
    if !has_market(&**store).await? {
        load(store, spec).await?;
    }
    // Demo accounts sign in like anyone else: a token for email and password.
    let ex = slivers_exchange::Exchange::new(store.clone());
    let token = |email: String| {
        let ex = ex.clone();
        async move {
            let issued = credentials::issue_token(&ex, &email, DEMO_PASSWORD, Some("demo".into()), None)
                .await
                .with_context(|| format!("demo user {email} cannot sign in"))?;
            let user = issued.user;
            anyhow::Ok(Account { email, token: issued.token, business_id: user.business_id.map(|b| b.0), worker_id: user.worker_id.map(|w| w.0) })
        }
    };
    Ok(DemoTokens {
        password: DEMO_PASSWORD,
        operator: token(OPERATOR_EMAIL.into()).await?,
        business: token(business_email(1)).await?,
        worker: token(worker_email(1)).await?,
    })
}

/// A fresh API token for the `n`th demo business's manager (1-based), and
/// the business it acts for; `None` when the market has no such business.
/// Minted straight into the store, without the password: a caller that owns
/// the database (`slivers bench book`) needs dozens, and each sign-in would
/// cost an argon2 verification.
pub async fn business_token(store: &dyn Store, n: usize) -> Result<Option<(String, slivers_core::ids::BusinessId)>> {
    let Some(user) = store.user_by_email(&business_email(n)).await? else { return Ok(None) };
    let business = user.business_id.with_context(|| format!("{} has no business", user.email))?;
    let token = credentials::new_token()?;
    store.create_token(user.id, &credentials::token_hash(&token), "bench", Timestamp::now()).await?;
    Ok(Some((token, business)))
}

fn business_email(n: usize) -> String {
    format!("manager{n}@demo.slivers.test")
}

fn worker_email(n: usize) -> String {
    format!("worker{n}@demo.slivers.test")
}

async fn load(store: &std::sync::Arc<dyn Store>, spec: &MarketSpec) -> Result<()> {
    let started = std::time::Instant::now();
    let market = slivers_demo::generate(spec);
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("loading demo market {bar:40} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut tick = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let loaded = slivers_demo::load(&**store, &market, Timestamp::now(), &mut tick).await?;
    bar.finish();
    // The market's assessment history goes through the exchange's grading path.
    let ex = slivers_exchange::Exchange::new(store.clone());
    slivers_exchange::workers::grade_assessments(&ex, &slivers_exchange::Principal::system(), &loaded.grades).await?;
    // One argon2id hash shared by all demo accounts: hashing thousands would
    // take minutes and protects nothing in a demo.
    let hash = credentials::hash_password(DEMO_PASSWORD).await?;
    let now = Timestamp::now();
    let user = |email: String, role, worker_id, business_id| NewUser { email, password_hash: hash.clone(), role, worker_id, business_id, now };
    store.create_user(user(OPERATOR_EMAIL.into(), Role::Operator, None, None)).await?;
    for (i, b) in loaded.businesses.iter().enumerate() {
        store.create_user(user(business_email(i + 1), Role::Business, None, Some(*b))).await?;
    }
    for (i, w) in loaded.workers.iter().take(WORKER_LOGINS).enumerate() {
        store.create_user(user(worker_email(i + 1), Role::Worker, Some(*w), None)).await?;
    }
    if let Some(first) = loaded.businesses.first() {
        let w = crate::history::write(&**store, *first, now).await.context("writing the demo's history")?;
        store.create_user(user(crate::history::HISTORY_WORKER_EMAIL.into(), Role::Worker, Some(w), None)).await?;
    }
    tracing::info!(
        workers = loaded.workers.len(),
        businesses = loaded.businesses.len(),
        shifts = loaded.shifts.len(),
        seconds = started.elapsed().as_secs_f32(),
        "demo market loaded"
    );
    Ok(())
}

pub fn describe(t: &DemoTokens, base: &str) -> String {
    format!(
        "Demo accounts (password `{}`):\n  operator  {}  token {}\n  business  {} (business {})  token {}\n  worker    {} (worker {})  token {}\n\
         Try: curl -H 'Authorization: Bearer {}' {base}/api/v1/shifts\nAPI docs: {base}/api/docs",
        t.password,
        t.operator.email,
        t.operator.token,
        t.business.email,
        t.business.business_id.unwrap_or_default(),
        t.business.token,
        t.worker.email,
        t.worker.worker_id.unwrap_or_default(),
        t.worker.token,
        t.business.token,
    )
}
