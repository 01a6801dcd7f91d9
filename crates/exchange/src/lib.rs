//! The application layer: every use case of the exchange, between the HTTP
//! shell (`slivers-server`), the CLI and the store. A use case takes the
//! [`Principal`] acting, checks what that principal may do, calls the store
//! (whose SQL enforces tenancy and the rule checker), keeps the matching
//! index current after its own writes, and answers with one error type,
//! [`ExchangeError`]. Handlers and portal pages only translate requests into
//! these calls and errors into responses.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod billing;
pub mod bookings;
pub mod businesses;
pub mod calendar;
pub mod credentials;
mod error;
mod feed;
pub mod feedback;
pub mod imports;
pub mod inquiries;
pub mod lifecycle;
pub mod market;
pub mod matching;
pub mod messages;
pub mod notify;
pub mod outcomes;
pub mod overlap;
pub mod principal;
pub mod ratings;
pub mod recheck;
pub mod reputation;
pub mod roster;
pub mod sign_in;
pub mod timeline;
pub mod timesheets;
pub mod waves;
pub mod webhooks;
pub mod workers;

use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use slivers_store::Store;

pub use error::ExchangeError;
pub use feed::{build_from_store, Feed, SharedIndex};
pub use principal::Principal;

pub type Result<T, E = ExchangeError> = std::result::Result<T, E>;

/// The exchange's clock: the real one, or a simulated one in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The exchange: its store, its matching index kept current from the event
/// log, and its clock. Cheap to clone; every clone shares all three.
#[derive(Clone)]
pub struct Exchange {
    store: Arc<dyn Store>,
    feed: Arc<Feed>,
    clock: Clock,
    /// Settings and cached figures of the public market data.
    market: Arc<market::MarketCache>,
    /// How candidates are ranked (matching, offer waves, rosters).
    weights: slivers_match::Weights,
    /// A fixed amount of optimizer work per roster instead of the caller's
    /// seconds: the simulator sets it so a seed gives the same month.
    roster_effort: Option<slivers_roster::Effort>,
}

impl Exchange {
    /// An exchange over `store` with an empty index that fills from the event
    /// log (see [`Exchange::refresh`]); [`Exchange::build`] loads it up front.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_clock(store, Arc::new(Timestamp::now))
    }

    /// An exchange whose clock is supplied by the caller (simulated time).
    pub fn with_clock(store: Arc<dyn Store>, clock: Clock) -> Self {
        let index: SharedIndex = Arc::new(RwLock::new(slivers_match::Index::default()));
        Exchange { feed: Arc::new(Feed::new(index, store.clone())), store, clock, market: Default::default(), weights: Default::default(), roster_effort: None }
    }

    /// An exchange whose index is built from the whole store now.
    pub async fn build(store: Arc<dyn Store>) -> Result<Self> {
        let index = build_from_store(&*store, Timestamp::now()).await?;
        let index: SharedIndex = Arc::new(RwLock::new(index));
        Ok(Exchange { feed: Arc::new(Feed::new(index, store.clone())), store, clock: Arc::new(Timestamp::now), market: Default::default(), weights: Default::default(), roster_effort: None })
    }

    /// An exchange on a simulated clock whose index is built from the whole
    /// store at the clock's present, so its horizon follows simulated time.
    pub async fn build_with_clock(store: Arc<dyn Store>, clock: Clock) -> Result<Self> {
        let index = build_from_store(&*store, clock()).await?;
        let index: SharedIndex = Arc::new(RwLock::new(index));
        Ok(Exchange { feed: Arc::new(Feed::new(index, store.clone())), store, clock, market: Default::default(), weights: Default::default(), roster_effort: None })
    }

    /// The same exchange ranking candidates with `weights` (the simulator
    /// compares rankings; servers use the defaults).
    pub fn with_weights(mut self, weights: slivers_match::Weights) -> Self {
        self.weights = weights;
        self
    }

    pub fn weights(&self) -> slivers_match::Weights {
        self.weights
    }

    /// The same exchange solving rosters with a fixed `effort` instead of
    /// against the clock (deterministic; a roster with a fairness weight
    /// still rebalances against the clock).
    pub fn with_roster_effort(mut self, effort: slivers_roster::Effort) -> Self {
        self.roster_effort = Some(effort);
        self
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Whether the database answers: the health check.
    pub async fn ping(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    /// The matching index and the feed that keeps it current.
    pub fn feed(&self) -> &Arc<Feed> {
        &self.feed
    }

    /// Read the index under its lock.
    pub(crate) fn with_index<T>(&self, f: impl FnOnce(&slivers_match::Index) -> T) -> Result<T> {
        let index = self.feed.index.read().map_err(|_| ExchangeError::Internal("index lock poisoned".into()))?;
        Ok(f(&index))
    }

    /// Bring the index up to the event log: after this server's own writes, so
    /// its next answer reflects them; other servers' writes arrive by [`Exchange::tail`].
    pub async fn refresh(&self) {
        if let Err(e) = self.feed.catch_up().await {
            tracing::warn!(error = %e, "matching index refresh failed");
        }
    }

    /// Follow the event log in the background.
    pub fn tail(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.feed.clone().run(every))
    }
}
