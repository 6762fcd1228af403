//! A table of already localised cells, as the educator's screen shows it and as CSV: the CSV is
//! the same strings, so what is downloaded is what was seen.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Self {
        Self {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// RFC 4180: CRLF after every record, fields quoted when they hold a comma, quote or line break.
    pub fn to_csv(&self) -> String {
        let mut csv = String::new();
        for record in std::iter::once(&self.columns).chain(&self.rows) {
            let fields: Vec<String> = record.iter().map(|cell| field(cell)).collect();
            csv.push_str(&fields.join(","));
            csv.push_str("\r\n");
        }
        csv
    }
}

/// One CSV field. Nicknames are typed by learners, so a cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, or a tab or carriage return that some spreadsheets skip)
/// gets a leading apostrophe and is shown as text.
fn field(cell: &str) -> String {
    let text = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            columns: vec!["Soprannome".into(), "Note".into()],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        }
    }

    #[test]
    fn plain_cells_are_written_as_they_are() {
        let csv = table(&[&["Astro", "40%"], &["Cometa", "<5"]]).to_csv();
        assert_eq!(csv, "Soprannome,Note\r\nAstro,40%\r\nCometa,<5\r\n");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let csv = table(&[&["Anna, la \"rossa\"", "riga 1\nriga 2"], &["a\rb", "è"]]).to_csv();
        assert_eq!(
            csv,
            "Soprannome,Note\r\n\"Anna, la \"\"rossa\"\"\",\"riga 1\nriga 2\"\r\n\"a\rb\",è\r\n"
        );
    }

    #[test]
    fn formulas_are_neutralised() {
        let csv = table(&[
            &["=HYPERLINK(\"http://x\")", "+1"],
            &["-2", "@SUM(A1)"],
            &["\tTab", "a=b"],
        ])
        .to_csv();
        assert_eq!(
            csv,
            "Soprannome,Note\r\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1\r\n'-2,'@SUM(A1)\r\n'\tTab,a=b\r\n"
        );
    }

    #[test]
    fn an_empty_table_is_its_header() {
        assert_eq!(Table::new(&["A", "B"]).to_csv(), "A,B\r\n");
        assert_eq!(table(&[&["", ""]]).to_csv(), "Soprannome,Note\r\n,\r\n");
    }
}
