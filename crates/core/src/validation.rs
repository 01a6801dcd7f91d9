//! Field-level validation errors: every bad input names its field and the reason.

use serde::Serialize;

/// One bad field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON-pointer-like path of the field, e.g. `limits.max_minutes_per_week`.
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

/// A non-empty list of bad fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, reason)])
    }
}

/// Collects field errors while a whole input is checked, so one response can
/// name every bad field rather than only the first.
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<FieldError>,
}

impl Collector {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(FieldError::new(field, reason));
    }
    /// Record the error of a fallible conversion under `field`, prefixing nested field names.
    pub fn take<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(Invalid(errs)) => {
                for e in errs {
                    let name = if e.field.is_empty() {
                        field.to_string()
                    } else if field.is_empty() {
                        e.field
                    } else {
                        format!("{field}.{}", e.field)
                    };
                    self.errors.push(FieldError::new(name, e.reason));
                }
                None
            }
        }
    }
    pub fn check(&mut self, ok: bool, field: &str, reason: impl Into<String>) {
        if !ok {
            self.push(field, reason);
        }
    }
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() { Ok(()) } else { Err(Invalid(self.errors)) }
    }
}

/// Whether `s` looks like an email address a mail server would take: one
/// Free text a person writes: not blank, and at most `max` characters
/// (characters, not bytes, as the API document's `maxLength` counts them).
pub fn text_ok(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max
}

/// `@`, a local part, a dotted domain, no spaces or angle brackets. Whether
/// it is *theirs* is proven by a verification link, not by syntax.
pub fn check_email(s: &str) -> Result<(), &'static str> {
    if s.is_empty() || s.chars().count() > 254 {
        return Err("must be 1 to 254 characters");
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
        return Err("must not contain spaces, quotes, commas or angle brackets");
    }
    match s.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') => Ok(()),
        _ => Err("must be an email address such as ana@example.com"),
    }
}

#[cfg(test)]
mod email_tests {
    use super::check_email;

    #[test]
    fn addresses_are_checked_for_shape() {
        assert!(check_email("ana@example.com").is_ok());
        for bad in ["", "ana", "@example.com", "ana@example", "ana@@example.com", "ana @example.com", "a<b>@x.com", "ana@example.com."] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
