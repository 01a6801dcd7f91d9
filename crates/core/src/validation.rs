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
/// A web address the exchange shows or calls: `http://` (or, when
/// `https_too`, `https://`), a host name (letters, digits, dots, hyphens; no
/// IP-literal brackets, no user info), an optional port, and an optional
/// path, query or fragment without spaces or control characters; at most
/// 2000 characters. The API document states the same grammar as a pattern
/// beside each URL field.
pub fn web_url_ok(url: &str, https_too: bool) -> bool {
    let rest = match url.strip_prefix("http://") {
        Some(rest) => rest,
        None if https_too => match url.strip_prefix("https://") {
            Some(rest) => rest,
            None => return false,
        },
        None => return false,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let host_ok = host.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok = port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let odd = |c: char| c.is_whitespace() || c.is_control();
    url.chars().count() <= 2000 && host_ok && port_ok && !tail.chars().any(odd)
}

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
    fn web_addresses_follow_one_grammar() {
        use super::web_url_ok;
        for ok in ["http://example.org", "https://a.example.org:8443/x?y=1#z", "http://localhost:9/hook"] {
            assert!(web_url_ok(ok, true), "{ok}");
        }
        for bad in ["ftp://x.org", "http://", "http://[::1]/", "http://a b.org", "http://-x.org", "http://x.org:123456", "http://x.org/a b", "javascript:alert(1)", "http://user@x.org"] {
            assert!(!web_url_ok(bad, true), "{bad}");
        }
        assert!(!web_url_ok("https://example.org", false));
    }

    #[test]
    fn addresses_are_checked_for_shape() {
        assert!(check_email("ana@example.com").is_ok());
        for bad in ["", "ana", "@example.com", "ana@example", "ana@@example.com", "ana @example.com", "a<b>@x.com", "ana@example.com."] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
