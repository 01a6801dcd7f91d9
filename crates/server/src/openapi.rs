//! The OpenAPI document, and a docs page rendered from it on the server so it
//! works offline, with no script or stylesheet from elsewhere.

use std::fmt::Write;
use std::sync::Arc;

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

use crate::AppState;

pub fn base() -> OpenApi {
    let mut api = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Slivers API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "On-demand workforce exchange. Authenticate with `Authorization: Bearer <token>` \
                     (POST /api/v1/tokens). Errors are application/problem+json naming each bad field.",
                ))
                .build(),
        )
        .servers(Some([utoipa::openapi::Server::new("/api/v1")]))
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    api
}

pub fn routes(spec: Arc<OpenApi>) -> Router<AppState> {
    let json = serde_json::to_string_pretty(&*spec).unwrap_or_default();
    let page = docs_page(&spec);
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let json = json.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], json) }
            }),
        )
        .route("/api/docs", get(move || {
            let page = page.clone();
            async move { ([(axum::http::header::CONTENT_SECURITY_POLICY, crate::security::DOCS_CSP)], Html(page)) }
        }))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn docs_page(spec: &OpenApi) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>Slivers API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         code{background:#f3f3f3;padding:0 .25rem}.m{display:inline-block;width:4.5rem;font-weight:bold}\
         section{border-top:1px solid #ddd;padding:.5rem 0}</style></head><body><h1>Slivers API</h1>",
    );
    if let Some(d) = &spec.info.description {
        let _ = write!(out, "<p>{}</p>", esc(d));
    }
    out.push_str("<p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a>. All paths are under <code>/api/v1</code>.</p>");
    for (path, item) in &spec.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let _ = write!(out, "<section><div><span class=m>{method}</span><code>{}</code></div>", esc(path));
            if let Some(s) = op.description.as_ref().or(op.summary.as_ref()) {
                let _ = write!(out, "<p>{}</p>", esc(s));
            }
            let codes: Vec<&String> = op.responses.responses.keys().collect();
            let _ = write!(out, "<p>Responses: {}</p></section>", esc(&codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")));
        }
    }
    out.push_str("</body></html>");
    out
}
