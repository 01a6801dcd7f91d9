//! Renderers for what the exchange issues and exchanges: Peppol BIS Billing
//! 3.0 e-invoices ([`ubl`]), iCalendar feeds ([`ical`]), CSV exports and
//! imports ([`csv`], rows in [`imports`]) and printable HTML ([`print`]).
//!
//! Pure: every function takes values and returns text, so the store and the
//! server decide where documents go and this crate only decides what they say.

pub mod csv;
pub mod ical;
pub mod imports;
pub mod print;
pub mod ubl;
