//! Extractors whose rejections are the app's own problem documents, naming the
//! field that failed rather than a parser's line and column.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use slivers_core::Invalid;

use crate::AppError;

/// JSON body: the content type must be JSON, the size is bounded, and a
/// type error names the field by its path.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let mut bytes = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(JsonRejection::MissingJsonContentType(_)) => return Err(AppError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(e)) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge(crate::MAX_BODY_BYTES));
            }
            Err(JsonRejection::JsonSyntaxError(e)) => return Err(AppError::Malformed(format!("body is not valid JSON: {}", e.body_text()))),
            Err(e) => return Err(AppError::Malformed(e.body_text())),
        };
        integral_floats_as_integers(&mut bytes);
        let value: T = serde_path_to_error::deserialize(crate::strict::Strict(bytes)).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            AppError::Invalid(Invalid::one(field, e.into_inner().to_string()))
        })?;
        Ok(Json(value))
    }
}

/// Path parameters; an id that is not a number, or is below 1, is a 404
/// (nothing has it), not a parser message.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(_)) if below_one_id(parts, state).await => Err(AppError::NotFound("resource")),
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(AppError::NotFound("resource")),
            Err(e) => Err(AppError::Malformed(e.body_text())),
        }
    }
}

/// Query string, with the bad parameter named.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => match id_below_one(parts.uri.query().unwrap_or_default()) {
                Some(name) => Err(AppError::Invalid(Invalid::one(name, "must be an id of at least 1"))),
                None => Ok(Query(v)),
            },
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(AppError::Invalid(Invalid::one("query", e.body_text())))
            }
            Err(e) => Err(AppError::Malformed(e.body_text())),
        }
    }
}

/// JSON has one number type: `2.0` is the integer 2 to JSON Schema, so the
/// document's `integer` fields must accept it. Serde's integer types refuse a
/// float, so whole floats within the integer range become integers before
/// the body is read (a fractional `2.5` stays a float and is refused by name).
fn integral_floats_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Exact in f64 and inside i64: the bounds are powers of two.
            if f.fract() == 0.0 && f >= -9_223_372_036_854_775_808.0 && f < 9_223_372_036_854_775_808.0 {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// Whether a numeric path segment is below 1: ids start at 1, as the
/// document declares.
async fn below_one_id<S: Send + Sync>(parts: &mut Parts, state: &S) -> bool {
    match axum::extract::RawPathParams::from_request_parts(parts, state).await {
        Ok(params) => params.iter().any(|(_, v)| v.parse::<i64>().is_ok_and(|n| n < 1)),
        Err(_) => false,
    }
}

/// The first `id` or `*_id` query parameter below 1, by name.
fn id_below_one(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let is_id = name == "id" || name.ends_with("_id");
        (is_id && value.parse::<i64>().is_ok_and(|n| n < 1)).then(|| name.to_string())
    })
}
