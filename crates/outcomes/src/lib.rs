//! What a market delivered, from a plain [`Record`]: fill rate overall and for
//! urgent shifts, time to fill, hours fairness (booked ÷ wanted, its spread
//! and Gini coefficient), earnings, cancellations and no-shows absorbed; and
//! the SVG charts and HTML page that show them. Pure: no IO, deterministic
//! (every sum runs in a fixed order), so two equal records give equal numbers.

pub mod charts;
pub mod metrics;
pub mod record;
pub mod report;
pub mod summary;

pub use metrics::{measure, Metrics};
pub use record::{BookingEnd, BookingRecord, Record, ShiftRecord, WorkerRecord, URGENT_MINUTES};
pub use report::{html, ReportInput};
pub use summary::{headline_rows, summary_line};
