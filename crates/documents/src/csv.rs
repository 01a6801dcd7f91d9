//! CSV exports and imports, thin over the `csv` crate with serde.
//!
//! Imports report every bad row, with its line number and a reason a person
//! can act on, rather than stopping at the first: fixing a spreadsheet one
//! error per upload is how imports get abandoned.

use ::csv::{DeserializeErrorKind, ErrorKind, ReaderBuilder, StringRecord, Trim, WriterBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// A row's shape does not fit CSV (e.g. a nested map) or rows disagree on their fields.
    #[error("cannot write CSV: {0}")]
    Write(#[from] ::csv::Error),
    #[error("cannot finish CSV: {0}")]
    Finish(String),
}

/// One row an import refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct RowError {
    /// 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    pub reason: String,
}

/// `rows` as CSV with a header line taken from the first row's field names.
/// No rows gives an empty string: there is no value to take the header from.
pub fn write<S: Serialize>(rows: &[S]) -> Result<String, CsvError> {
    let mut w = WriterBuilder::new().has_headers(true).from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    let bytes = w.into_inner().map_err(|e| CsvError::Finish(e.error().to_string()))?;
    String::from_utf8(bytes).map_err(|e| CsvError::Finish(e.to_string()))
}

/// Typed records from CSV text with a header line, or every bad row.
/// Fields are trimmed; blank lines are ignored.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, Vec<RowError>> {
    let mut r = ReaderBuilder::new().has_headers(true).trim(Trim::All).from_reader(text.as_bytes());
    let headers = match r.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![RowError { line: 1, reason: format!("cannot read the header: {e}") }]),
    };
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in r.records() {
        match record {
            Ok(rec) => match rec.deserialize::<T>(Some(&headers)) {
                Ok(v) => good.push(v),
                Err(e) => bad.push(RowError { line: line_of(&rec), reason: reason(&e, &headers) }),
            },
            Err(e) => bad.push(RowError { line: e.position().map_or(0, |p| p.line()), reason: reason(&e, &headers) }),
        }
    }
    if bad.is_empty() { Ok(good) } else { Err(bad) }
}

fn line_of(rec: &StringRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// The error in a person's words, naming the column where there is one
/// instead of the crate's byte offsets.
fn reason(e: &::csv::Error, headers: &StringRecord) -> String {
    match e.kind() {
        ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields like the header, found {len}")
        }
        ErrorKind::Deserialize { err, .. } => {
            let what = match err.kind() {
                DeserializeErrorKind::Message(m) | DeserializeErrorKind::Unsupported(m) => m.clone(),
                DeserializeErrorKind::ParseInt(p) => format!("not a whole number ({p})"),
                DeserializeErrorKind::ParseFloat(p) => format!("not a number ({p})"),
                DeserializeErrorKind::ParseBool(p) => format!("not true or false ({p})"),
                other => other.to_string(),
            };
            match err.field().and_then(|i| headers.get(usize::try_from(i).ok()?)) {
                Some(column) => format!("column `{column}`: {what}"),
                None => what,
            }
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Row {
        name: String,
        minutes: u32,
        note: Option<String>,
    }

    #[test]
    fn writes_a_header_and_quotes_what_needs_it() {
        let rows = vec![
            Row { name: "Smith, Jo".into(), minutes: 25, note: Some("said \"hi\"".into()) },
            Row { name: "Ana".into(), minutes: 7, note: Some("two\nlines".into()) },
            Row { name: "Bo".into(), minutes: 0, note: None },
        ];
        let text = write(&rows).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text, "name,minutes,note\n\"Smith, Jo\",25,\"said \"\"hi\"\"\"\nAna,7,\"two\nlines\"\nBo,0,\n");
        let back: Vec<Row> = read(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back, rows, "what we write we read back");
    }

    #[test]
    fn no_rows_is_empty() {
        assert_eq!(write::<Row>(&[]).unwrap_or_else(|e| panic!("{e}")), "");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        // Line 3 has a bad number, line 4 a missing field, line 6 (after a quoted
        // field spanning two lines) too many fields; the good rows still parse.
        let text = "name,minutes,note\nAna,30,\nBo,thirty,\nCy\n\"Di\nx\",45,ok\nEd,5,x,extra\nFay, 60 ,  trimmed  \n";
        let errors = read::<Row>(text).expect_err("three rows are bad");
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 7], "{errors:#?}");
        assert!(errors[0].reason.contains("column `minutes`") && errors[0].reason.contains("whole number"), "{}", errors[0].reason);
        assert!(errors[1].reason.contains("expected 3 fields"), "{}", errors[1].reason);
        assert!(errors[2].reason.contains("found 4"), "{}", errors[2].reason);
        assert_eq!(errors[0].to_string(), format!("line 3: {}", errors[0].reason));
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors = read::<Row>("name,note\nAna,x\n").expect_err("no minutes column");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.contains("missing field `minutes`"), "{}", errors[0].reason);
    }

    #[test]
    fn good_rows_are_trimmed_and_typed() {
        let rows: Vec<Row> = read("name,minutes,note\n Fay , 60 ,  \n\nGus,1,hi\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows, vec![Row { name: "Fay".into(), minutes: 60, note: None }, Row { name: "Gus".into(), minutes: 1, note: Some("hi".into()) }]);
    }
}
