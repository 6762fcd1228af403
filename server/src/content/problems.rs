//! Problems found in the content, each with the file and line where an educator can fix it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the content folder.
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<Problem>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            1 => writeln!(f, "1 problema nei contenuti:")?,
            n => writeln!(f, "{n} problemi nei contenuti:")?,
        }
        for problem in &self.0 {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

impl From<Problem> for ContentErrors {
    fn from(problem: Problem) -> Self {
        Self(vec![problem])
    }
}

/// The TOML parser's message with its usual phrases in Italian, for the educators who read it.
pub fn in_italian(message: &str) -> String {
    const PHRASES: &[(&str, &str)] = &[
        ("unknown field", "campo sconosciuto"),
        ("missing field", "manca il campo"),
        ("unknown variant", "valore sconosciuto"),
        (", expected one of", "; valori ammessi:"),
        (", expected", "; atteso:"),
        ("expected one of", "valori ammessi:"),
        ("invalid type:", "tipo sbagliato:"),
        ("invalid value:", "valore non valido:"),
        ("duplicate key", "chiave ripetuta"),
        ("invalid string", "testo non valido"),
        ("string", "testo"),
        ("integer", "numero intero"),
        ("sequence", "elenco"),
        ("u32", "numero intero non negativo"),
        ("u8", "numero intero da 0 a 255"),
        ("f64", "numero"),
    ];
    PHRASES
        .iter()
        .fold(message.trim().to_owned(), |text, (en, it)| {
            text.replace(en, it)
        })
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
