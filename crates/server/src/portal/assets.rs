//! Static files compiled into the binary: htmx (vendored from the npm package
//! `htmx.org`, never fetched at run time), the stylesheet and the small script
//! that lets a worker paint the availability grid. Names carry a version, so
//! they can be cached for a year (templates/base.html links them by
//! these names: bump the number when a file changes).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    ("htmx-2.0.8.min.js", "text/javascript; charset=utf-8", include_bytes!("../../static/htmx-2.0.8.min.js")),
    ("portal-4.css", "text/css; charset=utf-8", include_bytes!("../../static/portal.css")),
    ("portal-3.js", "text/javascript; charset=utf-8", include_bytes!("../../static/portal.js")),
];

pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
