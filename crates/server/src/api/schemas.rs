//! Schemas the derive cannot write: value sets that live in the domain's
//! tables (email topics, timeline categories), so the document lists exactly
//! what the server accepts and never drifts from it.

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Object;

fn one_of(names: impl IntoIterator<Item = &'static str>, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(names.into_iter().collect::<Vec<_>>()))
        .build()
}

/// `topic` of `PUT /me/email-preferences`.
pub fn email_topic() -> Object {
    one_of(slivers_core::notifications::TOPICS.iter().map(|t| t.name), "An email topic")
}

/// `category` of the timelines: a comma-separated list of categories.
pub fn timeline_categories() -> Object {
    let names: Vec<&str> = slivers_exchange::timeline::CATEGORIES.iter().map(|c| c.as_str()).collect();
    let one = format!("({})", names.join("|"));
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("Comma-separated categories; all when absent or empty"))
        .pattern(Some(format!(r"^\s*({one}\s*(,\s*{one}\s*)*)?$")))
        .build()
}
