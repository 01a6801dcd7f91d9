//! Accounts: the landing page, sign-up (a worker profile or a business with
//! its first site, plus an argon2id login), sign-in through the shared
//! limiter (`exchange::sign_in`), rotating the session, and sign-out.

use askama::Template;
use slivers_exchange::accounts::{self, AccountProfile};
use slivers_exchange::{credentials, sign_in};
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use slivers_core::availability::Availability;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::WorkerId;
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Currency, Money, Zone};
use slivers_store::{NewBusiness, Role};

use super::form::{AnonPosted, Posted};
use super::layout::{render_status, Nav};
use super::session::{self, cookie, home_of, read_cookie, PRE_CSRF_COOKIE};
use super::PortalError;
use crate::AppState;

/// A place people sign up from: it fixes the zone, the currency, a home
/// location for travel and a sensible minimum rate. Anything finer is edited later.
pub struct City {
    pub key: &'static str,
    pub label: &'static str,
    pub zone: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub currency: &'static str,
    pub min_rate: &'static str,
}

pub const CITIES: &[City] = &[
    City { key: "london", label: "London", zone: "Europe/London", lat: 51.5074, lon: -0.1278, currency: "GBP", min_rate: "12.50" },
    City { key: "leeds", label: "Leeds", zone: "Europe/London", lat: 53.7997, lon: -1.5492, currency: "GBP", min_rate: "12.25" },
    City { key: "manchester", label: "Manchester", zone: "Europe/London", lat: 53.4808, lon: -2.2426, currency: "GBP", min_rate: "12.25" },
    City { key: "dublin", label: "Dublin", zone: "Europe/Dublin", lat: 53.3498, lon: -6.2603, currency: "EUR", min_rate: "13.50" },
    City { key: "berlin", label: "Berlin", zone: "Europe/Berlin", lat: 52.52, lon: 13.405, currency: "EUR", min_rate: "13.00" },
    City { key: "paris", label: "Paris", zone: "Europe/Paris", lat: 48.8566, lon: 2.3522, currency: "EUR", min_rate: "12.00" },
    City { key: "amsterdam", label: "Amsterdam", zone: "Europe/Amsterdam", lat: 52.3676, lon: 4.9041, currency: "EUR", min_rate: "14.00" },
    City { key: "new-york", label: "New York", zone: "America/New_York", lat: 40.7128, lon: -74.006, currency: "USD", min_rate: "20.00" },
    City { key: "chicago", label: "Chicago", zone: "America/Chicago", lat: 41.8781, lon: -87.6298, currency: "USD", min_rate: "18.00" },
    City { key: "sydney", label: "Sydney", zone: "Australia/Sydney", lat: -33.8688, lon: 151.2093, currency: "AUD", min_rate: "25.00" },
    City { key: "mumbai", label: "Mumbai", zone: "Asia/Kolkata", lat: 19.076, lon: 72.8777, currency: "INR", min_rate: "200.00" },
];

pub fn city(key: &str) -> Option<&'static City> {
    CITIES.iter().find(|c| c.key == key)
}

/// The double-submit token for forms shown before sign-in: the cookie's value,
/// or a new one to set.
pub(super) fn pre_csrf(headers: &HeaderMap) -> Result<(String, Option<axum::http::HeaderValue>), PortalError> {
    match read_cookie(headers, PRE_CSRF_COOKIE) {
        Some(v) if v.len() >= 32 && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => Ok((v.to_string(), None)),
        _ => {
            let t = credentials::new_token()?;
            let c = cookie(PRE_CSRF_COOKIE, &t, 24 * 3600);
            Ok((t, Some(c)))
        }
    }
}

pub(super) fn with_cookie(mut res: Response, c: Option<axum::http::HeaderValue>) -> Response {
    if let Some(c) = c {
        res.headers_mut().append(SET_COOKIE, c);
    }
    res
}

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    nav: Nav,
}

pub async fn landing(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PortalError> {
    if let Some(s) = session::load(&headers, &state).await? {
        return Ok(Redirect::to(s.home()).into_response());
    }
    super::layout::render(&Landing { nav: Nav::anonymous() })
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignIn {
    nav: Nav,
    csrf: String,
    email: String,
    error: String,
}

pub async fn signin_page(headers: HeaderMap) -> Result<Response, PortalError> {
    let (csrf, set) = pre_csrf(&headers)?;
    let page = SignIn { nav: Nav::anonymous(), csrf, email: String::new(), error: String::new() };
    Ok(with_cookie(render_status(StatusCode::OK, &page)?, set))
}

pub async fn signin(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    let email = form.fields.text("email");
    let password = form.fields.get("password").unwrap_or("").to_string();
    let csrf = form.fields.text("csrf");
    let (status, error) = match sign_in::sign_in(&state.exchange, &email, &password, form.ip.map(|a| a.ip())).await {
        Ok(user) => {
            // Rotation: a session the browser already holds ends here, so a
            // cookie planted or captured before sign-in never becomes a signed-in one.
            if let Some(old) = read_cookie(&headers, session::SESSION_COOKIE).filter(|t| credentials::plausible_token(t)) {
                credentials::close_session(&state.exchange, &credentials::token_hash(old)).await?;
            }
            let c = session::start(&state, &user).await?;
            return Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, c)], [(LOCATION, home_of(user.role))]).into_response());
        }
        Err(slivers_exchange::ExchangeError::TooManyAttempts) => (StatusCode::TOO_MANY_REQUESTS, PortalError::TooManyAttempts.to_string()),
        Err(slivers_exchange::ExchangeError::Unauthenticated) => (StatusCode::UNAUTHORIZED, "That email and password do not match an account.".to_string()),
        Err(e) => return Err(e.into()),
    };
    render_status(status, &SignIn { nav: Nav::anonymous(), csrf, email, error })
}

pub async fn signout(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    credentials::close_session(&state.exchange, &form.session.token_hash).await?;
    let (k, v) = session::clear();
    Ok((StatusCode::SEE_OTHER, [(k, v)], [(LOCATION, "/")]).into_response())
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUp {
    nav: Nav,
    csrf: String,
    role: String,
    name: String,
    email: String,
    city: String,
    cities: &'static [City],
    errors: Vec<(String, String)>,
}

pub async fn signup_page(headers: HeaderMap) -> Result<Response, PortalError> {
    let (csrf, set) = pre_csrf(&headers)?;
    let page = SignUp {
        nav: Nav::anonymous(),
        csrf,
        role: "worker".into(),
        name: String::new(),
        email: String::new(),
        city: "london".into(),
        cities: CITIES,
        errors: Vec::new(),
    };
    Ok(with_cookie(render_status(StatusCode::OK, &page)?, set))
}

pub async fn signup(State(state): State<AppState>, form: AnonPosted) -> Result<Response, PortalError> {
    let f = &form.fields;
    let mut page = SignUp {
        nav: Nav::anonymous(),
        csrf: f.text("csrf"),
        role: f.text("role"),
        name: f.text("name"),
        email: f.text("email"),
        city: f.text("city"),
        cities: CITIES,
        errors: Vec::new(),
    };
    let password = f.get("password").unwrap_or("").to_string();
    let role = match page.role.as_str() {
        "worker" => Some(Role::Worker),
        "business" => Some(Role::Business),
        _ => None,
    };
    let mut errors = Vec::new();
    if role.is_none() {
        errors.push(("role".into(), "choose whether you are looking for work or for workers".into()));
    }
    if page.name.is_empty() || page.name.len() > 200 {
        errors.push(("name".into(), "enter a name of 1 to 200 characters".into()));
    }
    let email_ok = slivers_core::validation::check_email(&page.email).is_ok();
    if !email_ok {
        errors.push(("email".into(), "enter an email address like name@example.com".into()));
    }
    if let Err(why) = credentials::check_password_rules(&password) {
        errors.push(("password".into(), format!("the password {why}")));
    }
    let city = city(&page.city);
    if city.is_none() {
        errors.push(("city".into(), "choose a city from the list".into()));
    }
    let (Some(role), Some(city), true) = (role, city, errors.is_empty()) else {
        page.errors = errors;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let zone = Zone::parse(city.zone).map_err(|e| PortalError::Internal(e.to_string()))?;
    let currency = Currency::parse(city.currency).map_err(|e| PortalError::Internal(e.to_string()))?;
    let home = GeoPoint { lat: city.lat, lon: city.lon };
    let profile = match role {
        Role::Worker => AccountProfile::Worker(Worker {
            id: WorkerId(0),
            name: page.name.clone(),
            zone,
            reach: Reach::Travel { home, radius_km: 25 },
            min_rate: Money::new(city.min_rate.parse().unwrap_or_default(), currency),
            limits: Limits::default(),
            instant_book: true,
            availability: Availability::default(),
            skills: Vec::new(),
            wanted_minutes_per_week: 20 * 60,
        }),
        _ => AccountProfile::Business {
            business: NewBusiness { name: page.name.clone(), zone, currency },
            first_site: format!("{} {}", page.name, city.label),
            location: home,
        },
    };
    let user = match accounts::sign_up(&state.exchange, &page.email, &password, profile).await {
        Ok(user) => user,
        Err(slivers_exchange::ExchangeError::Invalid(i)) => {
            page.errors = super::layout::field_errors(i);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    };
    let c = session::start(&state, &user).await?;
    Ok((StatusCode::SEE_OTHER, [(SET_COOKIE, c)], [(LOCATION, home_of(role))]).into_response())
}
