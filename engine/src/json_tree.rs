//! A bridge between JSON values and Automerge objects, for the kind-specific parts of a document
//! (`params`, `content`, `data`) whose shape each kind defines.
//!
//! Whole numbers are stored as Automerge integers, so `12000` reads back as `12000`, not `12000.0`;
//! text objects written by other clients read back as strings.

use std::borrow::Cow;

use automerge::ObjId;
use autosurgeon::reconcile::{MapReconciler, NoKey, SeqReconciler};
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconcile, Reconciler};
use serde_json::{Map, Number, Value};

/// A JSON value stored as native Automerge maps, lists and scalars.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsonTree(pub Value);

impl JsonTree {
    /// Wraps a value with whole floats turned into integers, exactly as it will read back.
    pub fn normalized(mut value: Value) -> JsonTree {
        normalize(&mut value);
        JsonTree(value)
    }
}

fn normalize(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(i) = n.as_f64().and_then(whole) {
                *value = Value::from(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        Value::Object(map) => map.values_mut().for_each(normalize),
        _ => {}
    }
}

/// The integer a float holds exactly, if it is whole and small enough to round-trip.
fn whole(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < MAX_EXACT).then_some(f as i64)
}

/// Largest integer a float can represent exactly; beyond it we keep the float.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

impl Reconcile for JsonTree {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        reconcile_value(&self.0, reconciler)
    }
}

fn reconcile_value<R: Reconciler>(value: &Value, mut r: R) -> Result<(), R::Error> {
    match value {
        Value::Null => r.none(),
        Value::Bool(b) => r.boolean(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                r.i64(i)
            } else if let Some(u) = n.as_u64() {
                r.u64(u)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                match whole(f) {
                    Some(i) => r.i64(i),
                    None => r.f64(f),
                }
            }
        }
        Value::String(s) => r.str(s),
        Value::Array(items) => {
            let mut seq = r.seq()?;
            let old_len = seq.len()?;
            for (i, item) in items.iter().enumerate() {
                if i < old_len {
                    seq.set(i, JsonRef(item))?;
                } else {
                    seq.insert(i, JsonRef(item))?;
                }
            }
            for i in (items.len()..old_len).rev() {
                seq.delete(i)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            let mut m = r.map()?;
            for (k, v) in map {
                m.put(k, JsonRef(v))?;
            }
            m.retain(|k, _| map.contains_key(k))?;
            Ok(())
        }
    }
}

/// A borrowed JSON value, so nested values reconcile without cloning.
struct JsonRef<'v>(&'v Value);

impl Reconcile for JsonRef<'_> {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        reconcile_value(self.0, reconciler)
    }
}

impl Hydrate for JsonTree {
    fn hydrate_bool(b: bool) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::Bool(b)))
    }

    fn hydrate_f64(f: f64) -> Result<Self, HydrateError> {
        Ok(JsonTree(
            Number::from_f64(f).map_or(Value::Null, Value::Number),
        ))
    }

    fn hydrate_counter(c: i64) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::from(c)))
    }

    fn hydrate_int(i: i64) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::from(i)))
    }

    fn hydrate_uint(u: u64) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::from(u)))
    }

    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::String(s.to_string())))
    }

    fn hydrate_timestamp(t: i64) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::from(t)))
    }

    fn hydrate_bytes(_bytes: &[u8]) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::Null))
    }

    fn hydrate_unknown(_type_code: u8, _bytes: &[u8]) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::Null))
    }

    fn hydrate_none() -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::Null))
    }

    fn hydrate_map<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        let mut map = Map::new();
        let keys: Vec<String> = doc
            .map_range(obj, ..)
            .map(|item| item.key.into_owned())
            .collect();
        for key in keys {
            let value = JsonTree::hydrate(doc, obj, Prop::Key(Cow::Borrowed(key.as_str())))?;
            map.insert(key, value.0);
        }
        Ok(JsonTree(Value::Object(map)))
    }

    fn hydrate_seq<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        let len = doc.length(obj);
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            items.push(JsonTree::hydrate(doc, obj, Prop::Index(i as u32))?.0);
        }
        Ok(JsonTree(Value::Array(items)))
    }

    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(JsonTree(Value::String(doc.text(obj)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::AutoCommit;
    use serde_json::json;

    fn roundtrip(v: Value) -> Value {
        let mut doc = AutoCommit::new();
        autosurgeon::reconcile_prop(&mut doc, automerge::ROOT, "v", JsonTree(v)).unwrap();
        let back: JsonTree = autosurgeon::hydrate_prop(&doc, automerge::ROOT, "v").unwrap();
        back.0
    }

    #[test]
    fn roundtrips_nested_json() {
        let v = json!({"a": 1, "b": [1.5, "x", null, true], "c": {"d": -3}});
        assert_eq!(roundtrip(v.clone()), v);
    }

    #[test]
    fn whole_floats_come_back_as_integers() {
        assert_eq!(roundtrip(json!(12000.0)), json!(12000));
        assert_eq!(roundtrip(json!(0.226)), json!(0.226));
    }

    #[test]
    fn reconcile_replaces_removed_keys_and_items() {
        let mut doc = AutoCommit::new();
        let first = json!({"a": 1, "b": [1, 2, 3]});
        let second = json!({"b": [1]});
        autosurgeon::reconcile_prop(&mut doc, automerge::ROOT, "v", JsonTree(first)).unwrap();
        autosurgeon::reconcile_prop(&mut doc, automerge::ROOT, "v", JsonTree(second.clone()))
            .unwrap();
        let back: JsonTree = autosurgeon::hydrate_prop(&doc, automerge::ROOT, "v").unwrap();
        assert_eq!(back.0, second);
    }
}
