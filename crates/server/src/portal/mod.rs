//! The web portal: server-rendered pages (askama) for workers, businesses and
//! operators, with htmx for partial updates. Every flow works without
//! JavaScript: forms post and the server answers with a page.
//!
//! Pages call the same `Store` methods as the JSON API, with the signed-in
//! user's scope, so tenancy is enforced in one place; booking refusals come
//! from the rule checker inside the store's transaction and are shown by rule
//! name and message.

mod account;
mod assessments;
mod after_work;
mod assets;
mod availability;
mod business;
mod charts;
mod clocks;
mod contact;
mod error;
mod form;
mod labour;
mod layout;
mod lifecycle;
mod market;
mod operator;
mod outcomes;
mod overlap;
mod portfolio;
mod profile;
mod roster;
mod session;
mod settings;
mod shift_edit;
mod timeline;
mod webhooks;
mod why_not;
mod worker;

use axum::routing::{get, post};
use axum::Router;

use assessments::{BUSINESS, OPERATOR};

pub use error::PortalError;
pub use session::cookie_secure;

use crate::AppState;

/// Every portal route. Mounted beside `/api/v1` by [`crate::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(account::landing))
        .route("/signin", get(account::signin_page).post(account::signin))
        .route("/signup", get(account::signup_page).post(account::signup))
        .route("/signout", post(account::signout))
        .route("/forgot", get(lifecycle::forgot_page_get).post(lifecycle::forgot))
        .route("/account/reset", get(lifecycle::reset_page).post(lifecycle::reset))
        .route("/account/claim", get(lifecycle::claim_page).post(lifecycle::claim))
        .route("/account/verify", get(lifecycle::verify_page).post(lifecycle::verify))
        .route("/account/change-email", get(lifecycle::change_email_page).post(lifecycle::change_email))
        .route("/email/unsubscribe", get(lifecycle::unsubscribe_page).post(lifecycle::unsubscribe))
        .route("/account", get(lifecycle::account_page))
        .route("/account/verification", post(lifecycle::send_verification))
        .route("/account/email", post(lifecycle::request_email_change))
        .route("/account/preferences", post(lifecycle::save_preferences))
        .route("/account/export", get(lifecycle::export))
        .route("/account/delete", post(lifecycle::delete))
        .route("/static/{name}", get(assets::serve))
        .route("/market", get(market::page))
        // Worker
        .route("/w", get(worker::home))
        .route("/w/work", get(worker::work))
        .route("/w/why", get(why_not::find))
        .route("/w/shifts/{id}/why", get(why_not::page))
        .route("/w/bookings/{id}/{action}", post(worker::act))
        .route("/w/availability", get(availability::show).post(availability::paint))
        .route("/w/availability/dated", post(availability::add_dated))
        .route("/w/availability/dated/remove", post(availability::remove_dated))
        .route("/w/limits", get(profile::limits).post(profile::save_limits))
        .route("/w/limits/blackouts", post(profile::add_blackout))
        .route("/w/limits/labour", post(profile::save_labour))
        .route("/w/limits/blackouts/remove", post(profile::remove_blackout))
        .route("/w/skills", get(profile::skills).post(profile::add_skill))
        .route("/w/skills/remove", post(profile::remove_skill))
        .route("/w/skills/export", post(profile::export_reputation))
        .route("/w/timesheets", get(after_work::worker_timesheets))
        .route("/w/bookings/{id}/clock", post(after_work::clock))
        .route("/w/pay/{id}", get(after_work::pay_statement))
        .route("/w/bookings/{id}/rate", post(after_work::rate))
        // Business
        .route("/b", get(business::home))
        .route("/b/sites", get(business::sites).post(business::add_site))
        .route("/b/sites/{id}/labour", post(business::save_site_labour))
        .route("/b/shifts/new", get(business::new_shift))
        .route("/b/shifts", post(business::create_shift))
        .route("/b/shifts/{id}", get(business::shift))
        .route("/b/shifts/{id}/edit", get(shift_edit::show).post(shift_edit::save))
        .route("/b/shifts/{id}/book", post(business::book))
        .route("/b/bookings/{id}", get(business::booking))
        .route("/b/bookings/{id}/cancel", post(business::cancel))
        .route("/b/roster", get(roster::week))
        .route("/b/sites/{id}/roster", get(roster::site_week))
        .route("/b/roster/propose", post(roster::propose))
        .route("/b/roster/apply", post(roster::apply))
        .route("/b/timesheets", get(after_work::business_timesheets))
        .route("/b/timesheets/{id}/review", post(after_work::review))
        .route("/b/bookings/{id}/rate", post(after_work::rate))
        .route("/b/documents/{id}/{format}", get(after_work::document))
        // Operator
        .route("/op", get(operator::home))
        .route("/op/workers", get(operator::workers))
        .route("/op/outcomes", get(outcomes::page))
        .route("/op/workers/{id}/timeline", get(timeline::worker_for_operator))
        .route("/op/businesses", get(operator::businesses))
        .route("/op/businesses/{id}/timeline", get(timeline::business_for_operator))
        .route("/b/timeline", get(timeline::business_own))
        .route("/overlap", get(overlap::page))
        .route("/b/webhooks", get(webhooks::page).post(webhooks::add))
        .route("/b/webhooks/{id}/{action}", post(webhooks::act))
        .route("/w/timeline", get(timeline::worker_own))
        .route("/op/assessments", get(assessments::staff_page::<OPERATOR>).post(assessments::staff_create::<OPERATOR>))
        .route("/op/assessment-attempts/{id}", get(assessments::staff_attempt::<OPERATOR>))
        .route("/op/assessment-attempts/{id}/answer", post(assessments::staff_answer::<OPERATOR>))
        .route("/op/assessment-attempts/{id}/grade", post(assessments::staff_grade::<OPERATOR>))
        .route("/b/assessments", get(assessments::staff_page::<BUSINESS>).post(assessments::staff_create::<BUSINESS>))
        .route("/b/assessment-attempts/{id}", get(assessments::staff_attempt::<BUSINESS>))
        .route("/b/assessment-attempts/{id}/answer", post(assessments::staff_answer::<BUSINESS>))
        .route("/b/assessment-attempts/{id}/grade", post(assessments::staff_grade::<BUSINESS>))
        .route("/b/settings", get(settings::show))
        .route("/b/settings/remote-rule", post(settings::save_remote_rule))
        .route("/w/portfolio", get(portfolio::w_page).post(portfolio::w_add))
        .route("/op/portfolio", get(portfolio::op_page))
        .route("/op/workers/{id}/portfolio/review", post(portfolio::op_review))
        .route("/w/assessments", get(assessments::w_page))
        .route("/w/assessments/{id}/start", post(assessments::w_start))
        .route("/w/assessment-attempts/{id}", get(assessments::w_attempt))
        .route("/w/assessment-attempts/{id}/questions", post(assessments::w_ask))
        .route("/w/assessment-attempts/{id}/submit", post(assessments::w_submit))
        .route("/op/billing", get(after_work::operator_billing))
        .route("/op/billing/run", post(after_work::run_billing))
        .route("/op/timesheets/{id}/resolve", post(after_work::resolve))
        // Talking with customers: inquiries, the feedback board, booking messages
        .route("/b/help", get(contact::business_help))
        .route("/b/inquiries", post(contact::business_raise))
        .route("/b/inquiries/{id}", get(contact::business_thread))
        .route("/b/inquiries/{id}/step", post(contact::business_step))
        .route("/b/bookings/{id}/messages", post(contact::business_send))
        .route("/w/help", get(contact::worker_help))
        .route("/w/inquiries", post(contact::worker_raise))
        .route("/w/inquiries/{id}", get(contact::worker_thread))
        .route("/w/inquiries/{id}/step", post(contact::worker_step))
        .route("/w/bookings/{id}", get(contact::worker_booking))
        .route("/w/bookings/{id}/messages", post(contact::worker_send))
        .route("/op/help", get(contact::desk))
        .route("/op/help/targets.csv", get(contact::targets_csv))
        .route("/op/inquiries/{id}", get(contact::operator_thread))
        .route("/op/inquiries/{id}/step", post(contact::operator_step))
        .route("/feedback", get(contact::board).post(contact::file))
        .route("/feedback/{id}", get(contact::request))
        .route("/feedback/{id}/vote", post(contact::vote))
        .route("/feedback/{id}/merge", post(contact::merge))
        .route("/feedback/{id}/status", post(contact::set_status))
}
