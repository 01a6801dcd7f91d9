//! The portal as a browser without cookies or redirects sees it: form
//! bodies, Set-Cookie lines, CSRF fields and signing in.

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{redirect, StatusCode};

/// Form bodies without reqwest's `form` feature (the workspace does not enable it).
pub trait FormBody {
    fn form_body<T: serde::Serialize + ?Sized>(self, fields: &T) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_body<T: serde::Serialize + ?Sized>(self, fields: &T) -> Self {
        self.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(serde_urlencoded::to_string(fields).expect("form"))
    }
}

/// A client that neither follows redirects nor keeps cookies: every header is visible to the test.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(redirect::Policy::none()).build().expect("client")
}

/// The first `name=value` a response sets for cookie `name`, and the whole Set-Cookie line.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<(String, String)> {
    res.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with(&format!("{name}="))).map(|line| {
        let pair = line.split(';').next().unwrap_or_default().to_string();
        (pair, line.to_string())
    })
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("a csrf field");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').expect("end")].to_string()
}

/// Sign in through the portal: returns the session cookie pair and the page's CSRF token.
pub async fn sign_in(base: &str, email: &str, password: &str) -> (String, String) {
    let c = client();
    let res = post_sign_in(base, email, password, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in as {email}");
    let (session, _) = set_cookie(&res, "slivers_session").expect("session cookie");
    let home = res.headers()["location"].to_str().expect("location").to_string();
    let html = c.get(format!("{base}{home}")).header(COOKIE, &session).send().await.expect("home").text().await.expect("body");
    (session, csrf_in(&html))
}

/// Post the sign-in form, sending `cookies` (e.g. an older session) along;
/// the response is returned as is.
pub async fn post_sign_in(base: &str, email: &str, password: &str, cookies: Option<&str>) -> reqwest::Response {
    let c = client();
    let page = c.get(format!("{base}/signin")).send().await.expect("signin page");
    let (pre, _) = set_cookie(&page, "slivers_csrf").expect("pre-session csrf cookie");
    let token = csrf_in(&page.text().await.expect("body"));
    let cookie = cookies.map_or(pre.clone(), |c| format!("{pre}; {c}"));
    c.post(format!("{base}/signin"))
        .header(COOKIE, cookie)
        .form_body(&[("csrf", token.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .expect("sign in")
}
