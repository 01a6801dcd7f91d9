//! Editing a posted shift: notes, headcount and rates. The store decides what
//! may change (headcount not below the places held; rates only while nobody
//! holds or is offered the shift) and the page shows its reasons.

use askama::Template;
use slivers_exchange::{businesses};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use slivers_core::ids::ShiftId;
use slivers_core::Money;
use slivers_store::ShiftEdit;

use super::business::mine;
use super::form::Posted;
use super::layout::{render_status, window, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

#[derive(Template)]
#[template(path = "business/shift_edit.html")]
struct EditPage {
    nav: Nav,
    id: i64,
    when: String,
    headcount: String,
    pay: String,
    bill: String,
    currency: String,
    notes: String,
    refusal: Option<Refusal>,
}

async fn page(state: &AppState, s: &Session, id: i64, refusal: Option<Refusal>, typed: Option<&super::form::Fields>) -> Result<EditPage, PortalError> {
    mine(s)?;
    let shift = businesses::get_shift(&state.exchange, &s.principal(), ShiftId(id)).await?;
    let pick = |name: &str, current: String| typed.map_or(current.clone(), |f| f.get(name).map_or(current, str::to_string));
    Ok(EditPage {
        nav: Nav::new(s, ""),
        id,
        when: window(shift.window, &shift.zone),
        headcount: pick("headcount", shift.headcount.to_string()),
        pay: pick("pay_rate", shift.pay_rate.amount.to_string()),
        bill: pick("bill_rate", shift.bill_rate.amount.to_string()),
        currency: shift.pay_rate.currency.to_string(),
        notes: pick("notes", shift.notes.clone()),
        refusal,
    })
}

pub async fn show(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &page(&state, &s, id, None, None).await?)
}

pub async fn save(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    mine(&s)?;
    let shift = businesses::get_shift(&state.exchange, &s.principal(), ShiftId(id)).await?;
    let f = &form.fields;
    let mut problems = Vec::new();
    let headcount = f.text("headcount").parse::<u32>().map_err(|_| problems.push(("headcount".to_string(), "enter a whole number of people".to_string()))).ok();
    let mut money = |name: &str| f.text(name).parse::<Decimal>().map(|a| Money::new(a, shift.pay_rate.currency)).map_err(|_| problems.push((name.replace('_', " "), "enter an amount like 13.50".to_string()))).ok();
    let (pay, bill) = (money("pay_rate"), money("bill_rate"));
    let result = match (headcount, pay, bill) {
        (Some(headcount), Some(pay_rate), Some(bill_rate)) => {
            let edit = ShiftEdit { headcount, pay_rate, bill_rate, notes: f.text("notes") };
            slivers_exchange::businesses::edit_shift(&state.exchange, &s.principal(), shift.id, &edit).await.map_err(Some)
        }
        _ => Err(None),
    };
    match result {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(LOCATION, format!("/b/shifts/{id}"))]).into_response()),
        Err(e) => {
            let refusal = match e {
                Some(e) => Refusal::from_exchange(e)?,
                None => Refusal { summary: "Some fields need attention.".into(), rules: problems },
            };
            let p = page(&state, &s, id, Some(refusal), Some(f)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}
