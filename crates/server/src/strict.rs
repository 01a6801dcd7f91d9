//! Reading a JSON body exactly as the API document describes it.
//!
//! Serde's derived structs also accept a JSON array of their fields in order
//! (`[null, null]` reads as a struct of two absent fields), which the
//! document, where every struct is an `object`, does not allow. [`Strict`]
//! deserializes from a [`serde_json::Value`] the way `serde_json` does, except
//! that a struct must be a JSON object, at every depth it reaches (see
//! [`Strict::deserialize_enum`] for where serde takes over).

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON value that deserializes structs only from objects.
pub struct Strict(pub Value);

type Error = serde_json::Error;

/// Scalar methods read by the value itself.
macro_rules! delegate_scalars {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
            other => Err(de::Error::invalid_type(unexpected(&other), &"an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            // A unit variant by name, or `{"variant": content}` read by
            // serde_json itself. Limit: the content of such a variant, and of
            // internally tagged enums (which serde buffers before choosing the
            // variant), is read as serde_json reads it.
            Value::String(s) => s.into_deserializer().deserialize_enum(name, variants, visitor),
            other => other.deserialize_enum(name, variants, visitor).map_err(de::Error::custom),
        }
    }

    // Scalars are read by serde_json itself, which refuses a value of the
    // wrong JSON type (a decimal read as a string is never a number).
    delegate_scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    serde::forward_to_deserialize_any! { seq tuple tuple_struct map }
}


fn visit_number<'de, V: Visitor<'de>>(n: Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields {
    iter: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Fields {
    fn new(map: Map<String, Value>) -> Self {
        Fields { iter: map.into_iter(), value: None }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let v = self.value.take().ok_or_else(|| de::Error::custom("a value without a key"))?;
        seed.deserialize(Strict(v))
    }
}

#[cfg(test)]
mod tests {
    use super::Strict;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Point {
        lat: Option<f64>,
        lon: Option<f64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        at: Point,
        #[serde(default)]
        many: Vec<Point>,
        kind: Kind,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Early,
        Late,
    }

    #[test]
    fn scalars_keep_their_json_type() {
        #[derive(Debug, Deserialize)]
        struct Rate {
            #[allow(dead_code)]
            amount: rust_decimal::Decimal,
        }
        assert!(Rate::deserialize(Strict(json!({"amount": "12.50"}))).is_ok());
        assert!(Rate::deserialize(Strict(json!({"amount": 12}))).is_err());
        assert!(String::deserialize(Strict(json!(5))).is_err());
    }

    #[test]
    fn structs_come_only_from_objects_at_every_depth() {
        let ok = Outer::deserialize(Strict(json!({"at": {"lat": 1.5}, "many": [{"lon": 2.0}], "kind": "late"}))).unwrap();
        assert_eq!(ok.at, Point { lat: Some(1.5), lon: None });
        assert_eq!(ok.kind, Kind::Late);
        assert!(Point::deserialize(Strict(json!([null, null]))).is_err());
        assert!(Outer::deserialize(Strict(json!({"at": [1.0, 2.0], "kind": "early"}))).is_err());
        assert!(Outer::deserialize(Strict(json!({"at": {}, "many": [[1.0, 2.0]], "kind": "early"}))).is_err());
        // What serde_json itself accepts, for contrast: the reason this exists.
        assert!(serde_json::from_value::<Point>(json!([null, null])).is_ok());
    }
}
