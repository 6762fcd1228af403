//! A row's values as both databases hold them: read from either, written as `COPY` text, and
//! summed into a digest that is the same on both sides when the rows are.

use super::tables::{Column, Kind};
use anyhow::bail;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

#[derive(Debug)]
pub enum Value {
    Null,
    Text(String),
    Integer(i64),
    Boolean(bool),
    Real(f64),
    Bytes(Vec<u8>),
}

/// A SQLite row's values, each read as its PostgreSQL column wants it: a 0/1 flag becomes a
/// boolean, anything else stays as it is.
pub fn from_sqlite(row: &SqliteRow, columns: &[Column]) -> anyhow::Result<Vec<Value>> {
    let mut values = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let value = match column.kind {
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
            Kind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
            Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Value::Real),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
            Kind::Boolean => match row.try_get::<Option<i64>, _>(i)? {
                None => None,
                Some(0) => Some(Value::Boolean(false)),
                Some(1) => Some(Value::Boolean(true)),
                Some(other) => bail!("colonna {}: {other} non è un booleano (0 o 1)", column.name),
            },
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(values)
}

/// A PostgreSQL row's values, read back to compare them with what was copied.
pub fn from_postgres(row: &PgRow, columns: &[Column]) -> sqlx::Result<Vec<Value>> {
    let mut values = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let value = match column.kind {
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
            Kind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
            Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Value::Real),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
            Kind::Boolean => row.try_get::<Option<bool>, _>(i)?.map(Value::Boolean),
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(values)
}

/// Appends one row in `COPY`'s text format: values apart by tabs, `\N` for NULL, a newline last.
pub fn write_copy_row(values: &[Value], out: &mut String) {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        write_copy_value(value, out);
    }
    out.push('\n');
}

fn write_copy_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("\\N"),
        Value::Text(text) => escape(text, out),
        Value::Integer(n) => out.push_str(&n.to_string()),
        Value::Boolean(b) => out.push(if *b { 't' } else { 'f' }),
        // Rust writes the shortest digits that read back as the same f64 ("inf" and "NaN"
        // included), and PostgreSQL reads them exactly.
        Value::Real(x) => out.push_str(&x.to_string()),
        Value::Bytes(bytes) => {
            // bytea's hex input, `\x…`, whose backslash COPY wants doubled.
            out.push_str("\\\\x");
            for b in bytes {
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
}

const HEX: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];

/// Text as `COPY` reads it back: a backslash starts an escape, tab and newline end a value or row.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A table's rows counted and summed as a digest that does not depend on their order: the sum
/// of each row's SHA-256 (its first 128 bits, wrapping). A row lost, added or changed in any value
/// changes it, so equal tallies mean equal tables without sorting either side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    rows: u64,
    sum: u128,
}

impl Tally {
    pub fn add(&mut self, values: &[Value]) {
        self.rows += 1;
        self.sum = self.sum.wrapping_add(row_hash(values));
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// A row's hash over an encoding that tells every value's type and length, so no two different
/// rows encode alike.
fn row_hash(values: &[Value]) -> u128 {
    let mut hasher = Sha256::new();
    for value in values {
        match value {
            Value::Null => hasher.update([0]),
            Value::Text(text) => with_length(&mut hasher, 1, text.as_bytes()),
            Value::Integer(n) => {
                hasher.update([2]);
                hasher.update(n.to_le_bytes());
            }
            Value::Boolean(b) => hasher.update([3, u8::from(*b)]),
            Value::Real(x) => {
                hasher.update([4]);
                hasher.update(x.to_bits().to_le_bytes());
            }
            Value::Bytes(bytes) => with_length(&mut hasher, 5, bytes),
        }
    }
    let digest = hasher.finalize();
    let mut first = [0; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

fn with_length(hasher: &mut Sha256, tag: u8, bytes: &[u8]) {
    hasher.update([tag]);
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_text(values: &[Value]) -> String {
        let mut out = String::new();
        write_copy_row(values, &mut out);
        out
    }

    #[test]
    fn copy_text_escapes_what_copy_would_read_as_structure() {
        let row = [
            Value::Text("a\tb\nc\rd\\N é".into()),
            Value::Null,
            Value::Integer(-42),
            Value::Boolean(true),
            Value::Boolean(false),
            Value::Real(0.1),
            Value::Bytes(vec![0x00, 0xab, 0x5c]),
        ];
        assert_eq!(
            copy_text(&row),
            "a\\tb\\nc\\rd\\\\N é\t\\N\t-42\tt\tf\t0.1\t\\\\x00ab5c\n"
        );
    }

    #[test]
    fn tallies_ignore_order_and_see_any_change() {
        let a = [Value::Integer(1), Value::Text("x".into())];
        let b = [Value::Integer(2), Value::Text("y".into())];
        let tally = |rows: &[&[Value]]| {
            let mut tally = Tally::default();
            rows.iter().for_each(|row| tally.add(row));
            tally
        };
        assert_eq!(tally(&[&a, &b]), tally(&[&b, &a]));
        assert_ne!(tally(&[&a, &b]), tally(&[&a]));
        let changed = [Value::Integer(2), Value::Text("z".into())];
        assert_ne!(tally(&[&a, &b]), tally(&[&a, &changed]));
        // NULL is not the empty text, nor 1 the same as true.
        assert_ne!(
            tally(&[&[Value::Null]]),
            tally(&[&[Value::Text(String::new())]])
        );
        assert_ne!(
            tally(&[&[Value::Integer(1)]]),
            tally(&[&[Value::Boolean(true)]])
        );
    }
}
