//! The canonical form a reputation record is signed over: JCS (RFC 8785) for
//! the JSON we emit. Objects have their members sorted by the UTF-16 code
//! units of their names; strings are escaped as RFC 8785 §3.2.2.2 says (`"`
//! and `\` escaped, `\b \t \n \f \r` by their short forms, other controls
//! below U+0020 as `\u00xx` in lowercase hex, everything else literal UTF-8);
//! no whitespace. Numbers must be integers: a float is refused rather than
//! serialised, because ECMAScript number formatting is the one part of JCS
//! we do not implement and a record never needs one (averages are text).
//!
//! For this JSON (integers only) the result equals Python's
//! `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
//! whenever every object key is in the Basic Multilingual Plane (ours are
//! ASCII), where sorting by code points and by UTF-16 code units agree; the
//! independent verifier in `server/tests/reputation.rs` relies on that.

use serde_json::Value;

/// The canonical UTF-8 text of `value`, or the path of the first float.
pub fn canonical(value: &Value) -> Result<String, String> {
    let mut out = String::new();
    write(value, "$", &mut out)?;
    Ok(out)
}

fn write(value: &Value, path: &str, out: &mut String) -> Result<(), String> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                return Err(format!("{path} is not an integer"));
            }
        }
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, &format!("{path}[{i}]"), out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // UTF-16 code units, not bytes or code points: they differ above the BMP.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                if let Some(v) = map.get(*k) {
                    write(v, &format!("{path}.{k}"), out)?;
                }
            }
            out.push('}');
        }
    }
    Ok(())
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_escapes_and_refuses_floats() {
        let v = json!({"b": [1, -2, true, null], "a": "q\"\\\n\u{1f}é", "\u{fb33}": 0, "\u{1f600}": 1});
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 (code points say the opposite; RFC 8785 §3.2.3).
        assert_eq!(canonical(&v).unwrap(), "{\"a\":\"q\\\"\\\\\\n\\u001fé\",\"b\":[1,-2,true,null],\"\u{1f600}\":1,\"\u{fb33}\":0}");
        assert_eq!(canonical(&json!({"x": [1.5]})).unwrap_err(), "$.x[0] is not an integer");
    }
}
