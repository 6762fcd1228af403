//! `self-assessment.toml`: the digital-skills questionnaire asked at the start and at the end of
//! every path, whose answers the programme's impact report compares.

use super::problems::{Problem, line_of};
use super::sources::{SelfAssessmentFile, line_of_key, parse_toml};
use super::tree::Tree;
use officina_core::payload::SCALE_POINTS;
use officina_core::{Localized, SelfAssessment};

pub const FILE: &str = "self-assessment.toml";

/// The questionnaire, empty when the file is missing or unreadable (reported in `problems`).
pub fn compile(tree: &Tree, problems: &mut Vec<Problem>) -> SelfAssessment {
    let Some(text) = tree.texts.get(FILE) else {
        problems.push(Problem::new(
            FILE,
            None,
            "file mancante: serve il questionario di autovalutazione delle competenze digitali",
        ));
        return SelfAssessment::default();
    };
    let Some(source) = parse_toml::<SelfAssessmentFile>(FILE, text, 0, problems) else {
        return SelfAssessment::default();
    };
    if source.statements.is_empty() {
        problems.push(Problem::new(
            FILE,
            line_of_key(text, "statements"),
            "l'elenco `statements` è vuoto: serve almeno un'affermazione",
        ));
    }
    if source.scale.len() != SCALE_POINTS {
        problems.push(Problem::new(
            FILE,
            line_of_key(text, "scale"),
            format!(
                "`scale` ha {} etichette: ne servono esattamente {SCALE_POINTS}, dalla più bassa alla più alta",
                source.scale.len()
            ),
        ));
    }
    let mut statements = Vec::new();
    for statement in source.statements {
        let line = line_of(text, statement.span().start);
        let statement = statement.into_inner();
        if statement.it.trim().is_empty() {
            problems.push(Problem::new(
                FILE,
                Some(line),
                "affermazione senza testo in italiano (`it` manca o è vuoto)",
            ));
        }
        statements.push(Localized {
            it: statement.it,
            en: statement.en,
        });
    }
    SelfAssessment {
        statements,
        scale: source.scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCALE: &str = r#"scale = [{ it = "Per niente" }, { it = "Poco" }, { it = "Abbastanza" }, { it = "Molto", en = "Very well" }]"#;

    fn compiled(text: Option<&str>) -> (SelfAssessment, Vec<String>) {
        let mut tree = Tree::default();
        if let Some(text) = text {
            tree.texts.insert(FILE.into(), text.into());
        }
        let mut problems = Vec::new();
        let questionnaire = compile(&tree, &mut problems);
        (
            questionnaire,
            problems.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn reads_the_statements_and_the_scale() {
        let text = format!(
            "statements = [\n  {{ it = \"So creare una password\", en = \"I can make a password\" }},\n]\n{SCALE}\n"
        );
        let (questionnaire, problems) = compiled(Some(&text));
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(questionnaire.statements.len(), 1);
        assert_eq!(
            questionnaire.statements[0].get(officina_core::Lang::En),
            "I can make a password"
        );
        assert_eq!(questionnaire.scale[3].it, "Molto");
    }

    #[test]
    fn a_missing_file_is_a_problem() {
        let (questionnaire, problems) = compiled(None);
        assert_eq!(
            problems,
            [
                "self-assessment.toml: file mancante: serve il questionario di autovalutazione delle competenze digitali"
            ]
        );
        assert_eq!(questionnaire, SelfAssessment::default());
    }

    #[test]
    fn no_statements_and_a_wrong_scale_are_reported_at_their_lines() {
        let text = "# Questionario\nstatements = []\nscale = [{ it = \"Sì\" }, { it = \"No\" }]\n";
        let (_, problems) = compiled(Some(text));
        assert_eq!(
            problems,
            [
                "self-assessment.toml:2: l'elenco `statements` è vuoto: serve almeno un'affermazione",
                "self-assessment.toml:3: `scale` ha 2 etichette: ne servono esattamente 4, dalla più bassa alla più alta",
            ]
        );
    }

    #[test]
    fn a_statement_without_italian_is_reported_at_its_line() {
        for statement in [
            r#"{ it = " ", en = "Blank" }"#,
            r#"{ en = "Only English" }"#,
        ] {
            let text =
                format!("statements = [\n  {{ it = \"Uno\" }},\n  {statement},\n]\n{SCALE}\n");
            let (_, problems) = compiled(Some(&text));
            assert_eq!(
                problems,
                [
                    "self-assessment.toml:3: affermazione senza testo in italiano (`it` manca o è vuoto)"
                ]
            );
        }
    }

    #[test]
    fn unknown_fields_are_errors() {
        let text =
            format!("statements = [{{ it = \"Uno\" }}]\n{SCALE}\ntitolo = \"Questionario\"\n");
        let (_, problems) = compiled(Some(&text));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .starts_with("self-assessment.toml:3: dati non validi: campo sconosciuto `titolo`"),
            "{problems:?}"
        );
    }
}
