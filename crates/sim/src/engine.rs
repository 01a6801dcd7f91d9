//! The simulated month, driven through the real application layer.
//!
//! One exchange (`slivers_exchange::Exchange`) over a real store runs on a
//! simulated clock. An agenda of timed items (a shift being posted, the
//! offer-wave tick every five minutes, the hourly approval sweep, the weekly
//! rosters, a worker answering an offer, a cancellation, a shift starting or
//! ending, a rating) is worked through in time order; each item sets the
//! clock and calls the same use cases the API and portal call, as the
//! business or worker it concerns. After each item the engine reads the new
//! events from the log, as a client would from webhooks, and schedules what
//! people do about them (answer an offer, turn up or not, cancel). Nothing
//! here writes to the store directly, so every limit is the product's to keep.
//!
//! Single-threaded and ordered by (time, insertion), with rosters solved to a
//! fixed effort rather than against the clock, so a seed gives the same month.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use slivers_core::booking::BookingAction;
use slivers_core::business::Shift;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::Mode;
use slivers_core::worker::Worker;
use slivers_exchange::roster::Planned as RosterPlace;
use slivers_exchange::waves::WaveOverrides;
use slivers_exchange::{bookings, businesses, matching, ratings, roster, timesheets, waves, Exchange, ExchangeError, Principal};
use slivers_outcomes::Record;
use slivers_store::{Actor, BookMode, EventFilter, NewShift, Page, Scope, ShiftFilter, Store};

use crate::plan::{Channel, Plan, Spec};
use crate::PostedShift;

/// Simulated minutes between offer-wave ticks (`slivers serve` ticks every 5 real seconds).
const TICK_MINUTES: i64 = 5;
/// Candidates an instant-booking business looks through.
const INSTANT_CANDIDATES: usize = 20;
/// Share of completed bookings the business rates, in percent.
const RATED_PERCENT: u32 = 40;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    #[error(transparent)]
    Store(#[from] slivers_store::StoreError),
    #[error("the plan is inconsistent: {0}")]
    Plan(String),
}

/// What the engine did, by kind; refusals by the exchange are expected
/// (an offer accepted after the shift filled, a wave already running) and
/// counted by their error's name.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Counters {
    pub shifts_posted: u64,
    pub instant_booked: u64,
    pub waves_started: u64,
    pub offers: u64,
    pub offers_accepted: u64,
    pub offers_declined: u64,
    pub offers_unanswered: u64,
    pub cancellations: u64,
    pub no_shows: u64,
    pub checked_out: u64,
    pub ratings: u64,
    pub roster_runs: u64,
    pub roster_booked: u64,
    /// Rosters whose optimizer did not prove its answer optimal within its
    /// effort (the answer is still the same on every rerun).
    pub rosters_not_proven: u64,
    pub refused: BTreeMap<String, u64>,
}

/// A finished month.
#[derive(Debug, Clone)]
pub struct Run {
    pub record: Record,
    /// Every shift as posted, and when.
    pub posted: Vec<PostedShift>,
    /// Worker profiles at the start and the end of the month (evidence grows).
    pub workers_start: Vec<Worker>,
    pub workers_end: Vec<Worker>,
    pub channels: BTreeMap<Channel, u64>,
    pub counters: Counters,
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Post(usize),
    Tick,
    Approve,
    /// Roster next week's shifts starting at this instant.
    Roster(Timestamp),
    Answer { booking: BookingId, worker: WorkerId, accepts: bool },
    Cancel(BookingId, WorkerId),
    Start(BookingId, WorkerId, BusinessId),
    End(BookingId, WorkerId),
    Rate(BookingId, WorkerId, BusinessId),
}

struct Engine<'a> {
    spec: &'a Spec,
    plan: &'a Plan,
    ex: Exchange,
    clock: Arc<AtomicI64>,
    agenda: BTreeMap<(i64, u64), Item>,
    next_seq: u64,
    last_event: i64,
    business_ids: Vec<BusinessId>,
    site_ids: Vec<Vec<SiteId>>,
    workers: HashMap<WorkerId, Worker>,
    shifts: HashMap<ShiftId, (Shift, usize)>,
    posted: Vec<PostedShift>,
    /// Minutes held per worker and local ISO week, for the answer model.
    week_minutes: HashMap<(WorkerId, i16, i8), i64>,
    /// Bookings cancelled before their start: nobody turns up for them.
    released: std::collections::HashSet<BookingId>,
    counters: Counters,
}

/// Load the plan's market into `store`, then run its month. `progress` is
/// called with (simulated minutes done, total).
pub async fn run(store: Arc<dyn Store>, spec: &Spec, plan: &Plan, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<Run, SimError> {
    let clock = Arc::new(AtomicI64::new(spec.start.as_second() - 24 * 3600));
    let c = clock.clone();
    let clock_fn: slivers_exchange::Clock = Arc::new(move || Timestamp::from_second(c.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH));

    // The market's people and places, a day before the month; evidence
    // through the exchange's own grading path.
    let loaded = slivers_demo::load(&*store, &plan.market, clock_fn(), &mut |_, _| {}).await?;
    let loader = Exchange::with_clock(store.clone(), clock_fn.clone());
    slivers_exchange::workers::grade_assessments(&loader, &Principal::system(), &loaded.grades).await?;
    let mut site_ids = Vec::with_capacity(loaded.businesses.len());
    for b in &loaded.businesses {
        let sites = businesses::sites(&loader, &Principal::system(), *b).await?;
        site_ids.push(sites.iter().map(|s| s.id).collect());
    }
    let workers_start = read_workers(&*store, &loaded.workers).await?;

    clock.store(spec.start.as_second(), Ordering::SeqCst);
    let ex = Exchange::build_with_clock(store.clone(), clock_fn).await?.with_weights(spec.weights).with_roster_effort(spec.roster_effort);
    let last_event = store.last_event_seq().await?;
    let mut engine = Engine {
        spec,
        plan,
        ex,
        clock,
        agenda: BTreeMap::new(),
        next_seq: 0,
        last_event,
        business_ids: loaded.businesses.clone(),
        site_ids,
        workers: workers_start.iter().map(|w| (w.id, w.clone())).collect(),
        shifts: HashMap::new(),
        posted: Vec::new(),
        week_minutes: HashMap::new(),
        released: Default::default(),
        counters: Counters::default(),
    };
    engine.schedule_month();
    let period = spec.period();
    // Run a day past the period, so its last shifts end and are checked out.
    let stop = period.end + SignedDuration::from_hours(24);
    let total = (stop.as_second() - spec.start.as_second()) as u64 / 60;
    while let Some(((at, _), item)) = engine.agenda.pop_first() {
        if at > stop.as_second() {
            break;
        }
        engine.clock.store(at, Ordering::SeqCst);
        engine.perform(item).await?;
        engine.scan().await?;
        progress(((at - spec.start.as_second()).max(0) as u64 / 60).min(total), total);
    }
    progress(total, total);

    let record = slivers_exchange::outcomes::record(&engine.ex, &Principal::system(), period).await?;
    let workers_end = read_workers(&*store, &loaded.workers).await?;
    let mut channels = BTreeMap::new();
    for c in &plan.channels {
        *channels.entry(*c).or_insert(0) += 1;
    }
    Ok(Run { record, posted: engine.posted, workers_start, workers_end, channels, counters: engine.counters })
}

async fn read_workers(store: &dyn Store, ids: &[WorkerId]) -> Result<Vec<Worker>, SimError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(store.get_worker(*id, &Scope::All).await?);
    }
    Ok(out)
}

fn business(id: BusinessId) -> Principal {
    Principal { scope: Scope::Business(id), actor: Actor { user: None, scope: Scope::Business(id) } }
}

fn worker(id: WorkerId) -> Principal {
    Principal { scope: Scope::Worker(id), actor: Actor { user: None, scope: Scope::Worker(id) } }
}

/// The name a refusal is counted under.
fn refusal_name(e: &ExchangeError) -> String {
    let s = format!("{e:?}");
    s.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|w| !w.is_empty()).take(2).collect::<Vec<_>>().join(":")
}

impl Engine<'_> {
    fn now(&self) -> Timestamp {
        Timestamp::from_second(self.clock.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn at(&mut self, when: Timestamp, item: Item) {
        let when = when.as_second().max(self.clock.load(Ordering::SeqCst));
        self.agenda.insert((when, self.next_seq), item);
        self.next_seq += 1;
    }

    fn refused(&mut self, what: &str, e: &ExchangeError) {
        *self.counters.refused.entry(format!("{what}: {}", refusal_name(e))).or_insert(0) += 1;
    }

    /// Postings, ticks, sweeps and the weekly rosters.
    fn schedule_month(&mut self) {
        let start = self.spec.start;
        for (i, p) in self.plan.shifts.iter().enumerate() {
            self.at(p.posted_at, Item::Post(i));
        }
        let end = self.spec.period().end + SignedDuration::from_hours(24);
        let mut t = start;
        while t < end {
            self.at(t, Item::Tick);
            t += SignedDuration::from_mins(TICK_MINUTES);
        }
        let mut t = start;
        while t < end {
            self.at(t, Item::Approve);
            t += SignedDuration::from_hours(1);
        }
        for week in 0..i64::from(self.spec.days.div_ceil(7)) {
            let range_start = start + SignedDuration::from_hours(24 * 7 * week);
            self.at(roster_run_time(start, range_start), Item::Roster(range_start));
        }
    }

    async fn perform(&mut self, item: Item) -> Result<(), SimError> {
        match item {
            Item::Post(i) => self.post(i).await?,
            Item::Tick => {
                if let Err(e) = waves::tick(&self.ex).await {
                    self.refused("wave tick", &e);
                }
            }
            Item::Approve => {
                if let Err(e) = timesheets::auto_approve(&self.ex).await {
                    self.refused("approval sweep", &e);
                }
            }
            Item::Roster(range_start) => self.roster(range_start).await?,
            Item::Answer { booking, worker: w, accepts } => {
                let action = if accepts { BookingAction::Accept } else { BookingAction::Decline };
                match bookings::act(&self.ex, &worker(w), booking, action).await {
                    Ok(_) if accepts => self.counters.offers_accepted += 1,
                    Ok(_) => self.counters.offers_declined += 1,
                    Err(e) => self.refused(if accepts { "accept" } else { "decline" }, &e),
                }
            }
            Item::Cancel(booking, w) => match bookings::act(&self.ex, &worker(w), booking, BookingAction::CancelByWorker).await {
                Ok(_) => self.counters.cancellations += 1,
                Err(e) => self.refused("cancel", &e),
            },
            Item::Start(booking, _, _) | Item::End(booking, _) if self.released.contains(&booking) => {}
            Item::Start(booking, w, b) => {
                if self.spec.behaviour.no_show(w, booking.0 as u64) {
                    match bookings::act(&self.ex, &business(b), booking, BookingAction::NoShow).await {
                        Ok(_) => self.counters.no_shows += 1,
                        Err(e) => self.refused("no-show", &e),
                    }
                } else if let Err(e) = timesheets::attend(&self.ex, &worker(w), booking, timesheets::Clock::CheckIn, None, 0).await {
                    self.refused("check in", &e);
                }
            }
            Item::End(booking, w) => match timesheets::attend(&self.ex, &worker(w), booking, timesheets::Clock::CheckOut, None, 0).await {
                Ok(_) => self.counters.checked_out += 1,
                // Not checked in: a no-show or a cancellation came first.
                Err(_) => {}
            },
            Item::Rate(booking, w, b) => {
                let stars = self.spec.behaviour.stars(w, booking.0 as u64);
                match ratings::rate(&self.ex, &business(b), booking, stars, "", false).await {
                    Ok(_) => self.counters.ratings += 1,
                    Err(e) => self.refused("rate", &e),
                }
            }
        }
        Ok(())
    }

    async fn post(&mut self, i: usize) -> Result<(), SimError> {
        let p = &self.plan.shifts[i];
        let b = self.business_ids[p.business];
        let site_id = match p.shift.site {
            Some(k) => Some(*self.site_ids[p.business].get(k).ok_or_else(|| SimError::Plan(format!("business {} has no site {k}", p.business)))?),
            None => None,
        };
        let new = NewShift {
            business_id: b,
            site_id,
            window: p.shift.window,
            skills: p.shift.skills.clone(),
            headcount: p.shift.headcount,
            pay_rate: p.shift.pay_rate,
            bill_rate: p.shift.bill_rate,
            notes: p.shift.notes.clone(),
        };
        let shift = businesses::post_shift(&self.ex, &business(b), &new).await?;
        self.counters.shifts_posted += 1;
        self.posted.push(PostedShift { shift: shift.clone(), posted_at: self.now() });
        self.shifts.insert(shift.id, (shift.clone(), p.business));
        // An urgent place is booked instantly first, whatever the business's usual channel.
        let channel = match self.plan.channels[p.business] {
            _ if self.spec.urgent.instant_first && self.urgent(&shift) => Channel::Instant,
            usual => usual,
        };
        match channel {
            Channel::Instant => {
                let left = self.book_instantly(&shift).await;
                if left > 0 {
                    self.start_waves(shift.id, b).await;
                }
            }
            Channel::Waves => self.start_waves(shift.id, b).await,
            Channel::Roster => {
                // Wait for the roster of its week if that run is still to come.
                let week = week_start(self.spec.start, shift.window.start);
                if roster_run_time(self.spec.start, week) < self.now() {
                    self.start_waves(shift.id, b).await;
                }
            }
        }
        Ok(())
    }

    /// Book the best candidates who take instant bookings; the places left.
    async fn book_instantly(&mut self, shift: &Shift) -> u32 {
        let who = business(shift.business_id);
        let mut left = shift.headcount;
        let found = match matching::candidates(&self.ex, &who, shift.id, Mode::Instant, Some(INSTANT_CANDIDATES)).await {
            Ok(c) => c,
            Err(e) => {
                self.refused("candidates", &e);
                return left;
            }
        };
        for c in found {
            if left == 0 {
                break;
            }
            match bookings::book(&self.ex, &who, shift.id, c.worker_id, BookMode::Instant, None).await {
                Ok(_) => {
                    left -= 1;
                    self.counters.instant_booked += 1;
                }
                Err(e) => self.refused("instant booking", &e),
            }
        }
        left
    }

    /// Whether a place on `shift` is urgent now: it starts within the window
    /// the outcomes call urgent.
    fn urgent(&self, shift: &Shift) -> bool {
        shift.window.start.duration_since(self.now()).as_mins() < slivers_outcomes::URGENT_MINUTES
    }

    async fn start_waves(&mut self, shift: ShiftId, b: BusinessId) {
        let urgent = self.shifts.get(&shift).is_some_and(|(s, _)| self.urgent(s));
        let size = match self.spec.urgent.wave_size {
            Some(n) if urgent => n,
            _ => self.spec.wave_size,
        };
        let o = WaveOverrides { size: Some(size), interval_minutes: Some(self.spec.wave_interval_minutes), order: self.spec.wave_order };
        match waves::start(&self.ex, &business(b), shift, o).await {
            Ok(_) => self.counters.waves_started += 1,
            Err(e) => self.refused("start waves", &e),
        }
    }

    /// Every roster business's week starting at `range_start`: propose, apply,
    /// and send offer waves for the places the roster leaves.
    async fn roster(&mut self, range_start: Timestamp) -> Result<(), SimError> {
        let range = roster::week_from(range_start);
        for (k, channel) in self.plan.channels.iter().enumerate() {
            if *channel != Channel::Roster {
                continue;
            }
            let b = self.business_ids[k];
            let who = business(b);
            self.counters.roster_runs += 1;
            // The seconds are ignored: the exchange solves with the spec's effort.
            match roster::propose(&self.ex, &who, b, range, Mode::Instant, 30.0, self.spec.roster_fairness).await {
                Ok(p) => {
                    if p.gap > 0.0 {
                        self.counters.rosters_not_proven += 1;
                    }
                    let planned: Vec<RosterPlace> = p.assignments.iter().map(|a| RosterPlace { shift_id: a.shift_id, worker_id: a.worker_id }).collect();
                    if !planned.is_empty() {
                        match roster::apply(&self.ex, &who, b, &planned, BookMode::Instant).await {
                            Ok(done) => self.counters.roster_booked += done.len() as u64,
                            Err(e) => {
                                // All or nothing refused: book what still holds one by one.
                                self.refused("roster apply", &e);
                                for a in planned {
                                    if bookings::book(&self.ex, &who, a.shift_id, a.worker_id, BookMode::Instant, None).await.is_ok() {
                                        self.counters.roster_booked += 1;
                                    }
                                }
                            }
                        }
                    }
                }
                Err(e) => self.refused("roster propose", &e),
            }
            // What the roster could not fill goes out in waves.
            let filter = ShiftFilter { business: Some(b), from: Some(range.start), to: Some(range.end) };
            let open = businesses::shifts(&self.ex, &who, &filter, Page::all()).await?;
            let now = self.now();
            for s in open.into_iter().filter(|s| s.window.start >= range.start && s.window.start > now) {
                let held = bookings::of_shift(&self.ex, &who, s.id, Page::all()).await?.iter().filter(|x| x.status.holds_time()).count();
                if (held as u32) < s.headcount {
                    self.start_waves(s.id, b).await;
                }
            }
        }
        Ok(())
    }

    /// Read the events since the last scan and schedule what people do about them.
    async fn scan(&mut self) -> Result<(), SimError> {
        loop {
            let filter = EventFilter { after_seq: Some(self.last_event), ..Default::default() };
            let events = self.ex_store_events(&filter).await?;
            let Some(last) = events.last().map(|e| e.seq) else { return Ok(()) };
            self.last_event = last;
            for e in events {
                let (Some(booking), Some(w), Some(shift_id)) = (e.booking_id, e.worker_id, e.shift_id) else { continue };
                let Some((shift, _)) = self.shifts.get(&shift_id).cloned() else { continue };
                match e.kind.as_str() {
                    "booking.offered" => self.offered(booking, w, &shift),
                    "booking.confirmed" => self.confirmed(booking, w, &shift),
                    "booking.cancelled_by_worker" => {
                        self.released.insert(booking);
                        self.hold(w, &shift, -1);
                        // The business looks for someone else while there is time.
                        if shift.window.start > self.now() {
                            self.start_waves(shift.id, shift.business_id).await;
                        }
                    }
                    "booking.cancelled_by_business" => {
                        self.released.insert(booking);
                        self.hold(w, &shift, -1);
                    }
                    "booking.checked_out" | "booking.completed" => {
                        if crate::behaviour::rng(self.spec.seed, crate::behaviour::stream::RATING ^ 0x5A, booking.0 as u64).u32(..100) < RATED_PERCENT {
                            self.at(self.now() + SignedDuration::from_hours(1), Item::Rate(booking, w, shift.business_id));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    async fn ex_store_events(&self, filter: &EventFilter) -> Result<Vec<slivers_store::Event>, SimError> {
        Ok(businesses::events(&self.ex, &Principal::system(), filter, Page::new(Some(Page::MAX_LIMIT), None)).await?)
    }

    fn offered(&mut self, booking: BookingId, w: WorkerId, shift: &Shift) {
        self.counters.offers += 1;
        let Some(profile) = self.workers.get(&w) else { return };
        let share = self.booked_share(profile, shift);
        let answer = self.spec.behaviour.answer(profile, shift, share);
        let when = self.now() + SignedDuration::from_mins(answer.after_minutes);
        if when < shift.window.start {
            self.at(when, Item::Answer { booking, worker: w, accepts: answer.accepts });
        } else {
            self.counters.offers_unanswered += 1;
        }
    }

    fn confirmed(&mut self, booking: BookingId, w: WorkerId, shift: &Shift) {
        self.hold(w, shift, 1);
        let now = self.now();
        if let Some(fraction) = self.spec.behaviour.cancels(booking.0 as u64) {
            let lead = shift.window.start.duration_since(now).as_secs();
            #[allow(clippy::float_arithmetic, reason = "a drawn fraction of the lead time")]
            let after = ((lead as f64) * fraction) as i64;
            self.at(now + SignedDuration::from_secs(after.max(60)), Item::Cancel(booking, w));
        }
        self.at(shift.window.start, Item::Start(booking, w, shift.business_id));
        self.at(shift.window.end, Item::End(booking, w));
    }

    fn hold(&mut self, w: WorkerId, shift: &Shift, sign: i64) {
        let Some(profile) = self.workers.get(&w) else { return };
        let key = week_key(profile, shift);
        *self.week_minutes.entry((w, key.0, key.1)).or_insert(0) += sign * shift.window.minutes();
    }

    fn booked_share(&self, profile: &Worker, shift: &Shift) -> f64 {
        let key = week_key(profile, shift);
        let held = self.week_minutes.get(&(profile.id, key.0, key.1)).copied().unwrap_or(0);
        if profile.wanted_minutes_per_week == 0 {
            return 1.0;
        }
        #[allow(clippy::float_arithmetic, reason = "a share for the answer model")]
        let share = held as f64 / f64::from(profile.wanted_minutes_per_week);
        share
    }
}

/// The worker's local ISO week of the shift's start.
fn week_key(profile: &Worker, shift: &Shift) -> (i16, i8) {
    let d = profile.zone.date(shift.window.start).iso_week_date();
    (d.year(), d.week())
}

/// The start of the simulated week (7-day blocks from the first instant) holding `t`.
fn week_start(start: Timestamp, t: Timestamp) -> Timestamp {
    let week = SignedDuration::from_hours(24 * 7).as_secs();
    let k = (t.as_second() - start.as_second()).max(0) / week;
    start + SignedDuration::from_secs(k * week)
}

/// When the roster of the week starting at `range_start` runs: at the very
/// start for the first week, otherwise a day and a half before its week.
fn roster_run_time(start: Timestamp, range_start: Timestamp) -> Timestamp {
    if range_start <= start { start } else { range_start - SignedDuration::from_hours(36) }
}
