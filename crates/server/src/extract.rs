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
        let bytes = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(JsonRejection::MissingJsonContentType(_)) => return Err(AppError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(e)) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge(crate::MAX_BODY_BYTES));
            }
            Err(JsonRejection::JsonSyntaxError(e)) => return Err(AppError::Malformed(format!("body is not valid JSON: {}", e.body_text()))),
            Err(e) => return Err(AppError::Malformed(e.body_text())),
        };
        let value: T = serde_path_to_error::deserialize(bytes).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            AppError::Invalid(Invalid::one(field, e.into_inner().to_string()))
        })?;
        Ok(Json(value))
    }
}

/// Path parameters; an id that is not a number is a 404, not a parser message.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
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
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(AppError::Invalid(Invalid::one("query", e.body_text())))
            }
            Err(e) => Err(AppError::Malformed(e.body_text())),
        }
    }
}
