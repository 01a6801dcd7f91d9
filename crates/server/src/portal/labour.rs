//! The labour-rules form, shared by a worker's limits page (their own rules)
//! and a business's sites page (each site's policy): at most so many days in
//! a row, at least so many days off a week, at most so many weekends a month,
//! and forbidden successions. An empty number is no rule.

use slivers_core::labour::{LabourRules, ShiftKind, Succession};

use super::form::Fields;

/// One form's values as the template shows them.
pub struct LabourForm {
    /// Where the form posts.
    pub action: String,
    /// Makes the element ids unique when several forms share a page.
    pub prefix: String,
    /// What the form is for, read by screen readers with its button.
    pub label: String,
    pub consecutive: String,
    pub days_off: String,
    pub weekends: String,
    /// (value, text, checked) per succession.
    pub successions: Vec<(String, String, bool)>,
    /// The rules in a sentence.
    pub summary: String,
}

fn number(n: Option<u8>) -> String {
    n.map_or(String::new(), |n| n.to_string())
}

/// "at most 5 days in a row; no early after a night", or "none".
pub fn summary(r: &LabourRules) -> String {
    let s = |n: u8| if n == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    if let Some(n) = r.max_consecutive_days {
        parts.push(format!("at most {n} day{} in a row", s(n)));
    }
    if let Some(n) = r.min_days_off_per_week {
        parts.push(format!("at least {n} day{} off a week", s(n)));
    }
    if let Some(n) = r.max_weekends_per_month {
        parts.push(format!("at most {n} weekend{} a month", s(n)));
    }
    parts.extend(r.forbidden_successions.iter().map(ToString::to_string));
    if parts.is_empty() { "none".into() } else { parts.join("; ") }
}

pub fn form(r: &LabourRules, action: String, prefix: &str, label: String) -> LabourForm {
    let mut successions = Vec::new();
    for after in ShiftKind::ALL {
        for then in ShiftKind::ALL {
            let s = Succession { after, then };
            successions.push((format!("{}-{}", after.as_str(), then.as_str()), s.to_string(), r.forbidden_successions.contains(&s)));
        }
    }
    LabourForm {
        action,
        prefix: prefix.to_string(),
        label,
        consecutive: number(r.max_consecutive_days),
        days_off: number(r.min_days_off_per_week),
        weekends: number(r.max_weekends_per_month),
        successions,
        summary: summary(r),
    }
}

/// The posted form as rules; a bad number is named by its label. Ranges are
/// the domain's to check (`LabourRules::validate`, through the use case).
pub fn parse(f: &Fields) -> Result<LabourRules, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let mut num = |name: &str, label: &str| {
        let v = f.text(name);
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<u8>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push((label.to_string(), format!("`{v}` is not a whole number")));
                None
            }
        }
    };
    let max_consecutive_days = num("max_consecutive_days", "days in a row");
    let min_days_off_per_week = num("min_days_off_per_week", "days off a week");
    let max_weekends_per_month = num("max_weekends_per_month", "weekends a month");
    let mut forbidden_successions = Vec::new();
    for v in f.all("succession") {
        let pair = v.split_once('-').and_then(|(a, b)| Some(Succession { after: ShiftKind::parse(a)?, then: ShiftKind::parse(b)? }));
        match pair {
            Some(s) if !forbidden_successions.contains(&s) => forbidden_successions.push(s),
            Some(_) => {}
            None => errors.push(("successions".to_string(), format!("`{v}` is not a succession"))),
        }
    }
    if errors.is_empty() {
        Ok(LabourRules { max_consecutive_days, min_days_off_per_week, max_weekends_per_month, forbidden_successions })
    } else {
        Err(errors)
    }
}
