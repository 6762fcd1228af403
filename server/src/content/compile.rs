//! Compiles the content files into a bundle, collecting every problem with its file and line.
//!
//! ```text
//! badges.toml                       the programme's badges
//! self-assessment.toml              the digital-skills questionnaire of every path
//! <path>/path.toml                  a path
//! <path>/<module>/module.toml       a module (folder names sort the modules)
//! <path>/<module>/<activity>.md     an activity (file names sort the activities)
//! <path>/<module>/<activity>.en.md  its English text, optional
//! images/…                          images
//! ```

use super::markdown::render;
use super::problems::Problem;
use super::questionnaire;
use super::sources::{
    ActivityText, BadgesFile, FrontMatter, ModuleFile, PathFile, line_of_key, line_of_text,
    parse_toml, split_front_matter,
};
use super::tree::Tree;
use officina_core::content::KindFields;
use officina_core::{
    Activity, ActivityKind, Badge, Bundle, Details, Localized, Module, Path, Question,
};
use std::collections::{HashMap, HashSet};

/// The bundle (without its version) and where each part came from, for the cross checks.
#[derive(Default)]
pub struct Compiled {
    pub bundle: Bundle,
    pub activity_files: HashMap<String, ActivityOrigin>,
    pub badge_lines: HashMap<String, Option<usize>>,
}

pub struct ActivityOrigin {
    pub file: String,
    pub prerequisites_line: Option<usize>,
}

pub fn compile(tree: &Tree, problems: &mut Vec<Problem>) -> Compiled {
    let mut compiler = Compiler {
        tree,
        problems,
        ids: HashSet::new(),
        compiled: Compiled::default(),
    };
    compiler.badges();
    compiler.compiled.bundle.self_assessment = questionnaire::compile(tree, compiler.problems);
    let mut paths: Vec<(u32, Path)> = tree
        .texts
        .iter()
        .filter(|(f, _)| is_path_file(f))
        .filter_map(|(f, t)| compiler.path(f, t))
        .collect();
    paths.sort_by_key(|(order, _)| *order);
    compiler.compiled.bundle.paths = paths.into_iter().map(|(_, path)| path).collect();
    compiler.stray_files();
    compiler.compiled
}

struct Compiler<'a> {
    tree: &'a Tree,
    problems: &'a mut Vec<Problem>,
    ids: HashSet<String>,
    compiled: Compiled,
}

impl Compiler<'_> {
    fn problem(&mut self, file: &str, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem::new(file, line, message));
    }

    /// Ids must be unique across the whole programme: events and badges refer to them.
    fn claim(&mut self, what: &str, id: &str, file: &str, line: Option<usize>) {
        if !is_valid_id(id) {
            self.problem(
                file,
                line,
                format!("id di {what} non valido «{id}»: usa lettere minuscole, cifre e trattini"),
            );
        } else if !self.ids.insert(id.to_owned()) {
            self.problem(
                file,
                line,
                format!("id di {what} duplicato: «{id}» è già usato"),
            );
        }
    }

    /// The URL of an image referenced in `text`, which starts `line_offset` lines into `file`.
    fn image(
        &mut self,
        file: &str,
        text: &str,
        line_offset: usize,
        reference: &str,
    ) -> Option<String> {
        let url = self.tree.image_url(reference);
        if url.is_none() {
            let line = line_of_text(text, reference).map(|line| line + line_offset);
            self.problem(
                file,
                line,
                format!("immagine mancante: «{reference}» non è un file in content/images/"),
            );
        }
        url
    }

    fn badges(&mut self) {
        let file = "badges.toml";
        let Some(text) = self.tree.texts.get(file) else {
            self.problem(file, None, "file mancante: serve l'elenco dei badge");
            return;
        };
        let Some(source) = parse_toml::<BadgesFile>(file, text, 0, self.problems) else {
            return;
        };
        for badge in source.badge {
            // Each badge's problems are located from its own `[[badge]]` block on.
            let start = text.find(&format!("\"{}\"", badge.id)).unwrap_or(0);
            let lines_before = text[..start].matches('\n').count();
            self.claim("badge", &badge.id, file, Some(lines_before + 1));
            let image = self
                .image(file, &text[start..], lines_before, &badge.image)
                .unwrap_or_default();
            self.compiled
                .badge_lines
                .insert(badge.id.clone(), Some(lines_before + 1));
            self.compiled.bundle.badges.push(Badge {
                id: badge.id,
                name: badge.name,
                description: badge.description,
                image,
                criteria: badge.criteria,
            });
        }
    }

    fn path(&mut self, file: &str, text: &str) -> Option<(u32, Path)> {
        let head = parse_toml::<PathFile>(file, text, 0, self.problems);
        // The modules are checked even when the path's own file is broken, to report everything at once.
        let folder = file.trim_end_matches("path.toml");
        let tree = self.tree;
        let modules = tree
            .texts
            .iter()
            .filter(|(f, _)| f.starts_with(folder) && is_module_file(f))
            .filter_map(|(f, t)| self.module(f, t))
            .collect();
        let head = head?;
        self.claim("percorso", &head.id, file, line_of_key(text, "id"));
        let cover = head
            .cover
            .as_deref()
            .and_then(|cover| self.image(file, text, 0, cover));
        let path = Path {
            id: head.id,
            title: head.title,
            summary: head.summary,
            audience: head.audience,
            programme: Some(head.programme),
            edition: head.edition,
            ages: head.ages,
            cover,
            modules,
        };
        Some((head.order, path))
    }

    fn module(&mut self, file: &str, text: &str) -> Option<Module> {
        let head = parse_toml::<ModuleFile>(file, text, 0, self.problems);
        let folder = file.trim_end_matches("module.toml");
        let tree = self.tree;
        let activities = tree
            .texts
            .iter()
            .filter(|(f, _)| is_activity_file(f) && f.starts_with(folder))
            .filter_map(|(f, t)| self.activity(f, t))
            .collect();
        let head = head?;
        self.claim("modulo", &head.id, file, line_of_key(text, "id"));
        Some(Module {
            id: head.id,
            title: head.title,
            activities,
        })
    }

    fn activity(&mut self, file: &str, text: &str) -> Option<Activity> {
        let Some(ActivityText {
            front,
            body,
            body_line,
        }) = split_front_matter(text)
        else {
            self.problem(file, Some(1), "manca l'intestazione: il file deve iniziare con una riga `+++`, i dati in TOML e un'altra riga `+++`");
            return None;
        };
        let head = parse_toml::<FrontMatter>(file, front, 1, self.problems)?;
        self.claim(
            "attività",
            &head.id,
            file,
            line_of_key(front, "id").map(|line| line + 1),
        );
        if body.trim().is_empty() {
            self.problem(file, Some(body_line), "il testo dell'attività è vuoto");
        }
        let details = self.details(file, front, &head);
        let body_html = Localized {
            it: self.markdown(file, body, body_line),
            en: self.english_body(file),
        };
        self.compiled.activity_files.insert(
            head.id.clone(),
            ActivityOrigin {
                file: file.to_owned(),
                prerequisites_line: line_of_key(front, "prerequisites").map(|l| l + 1),
            },
        );
        Some(Activity {
            id: head.id,
            title: head.title,
            body_html,
            minutes: head.minutes,
            xp: head.xp,
            prerequisites: head.prerequisites,
            details: details?,
        })
    }

    fn markdown(&mut self, file: &str, body: &str, body_line: usize) -> String {
        let rendered = render(body, self.tree);
        for missing in rendered.missing_images {
            let line = line_of_text(body, &missing).map(|l| l + body_line - 1);
            self.problem(
                file,
                line,
                format!("immagine mancante: «{missing}» non è un file in content/images/"),
            );
        }
        rendered.html
    }

    /// The Markdown of `name.en.md`, if the educators wrote one.
    fn english_body(&mut self, file: &str) -> Option<String> {
        let english = format!("{}.en.md", file.trim_end_matches(".md"));
        let text = self.tree.texts.get(&english)?;
        Some(self.markdown(&english, text, 1))
    }

    /// The kind's own data, checked against core's table of the fields each kind requires and
    /// allows: fields of other kinds are reported, not ignored.
    fn details(&mut self, file: &str, front: &str, head: &FrontMatter) -> Option<Details> {
        let fields = KindFields {
            pass_mark: head.pass_mark,
            questions: head.questions.clone(),
            evidence: head.evidence.clone(),
            materials: head.materials.clone(),
            safety: head.safety.clone(),
            steps: head.steps.clone(),
            reflection: head.reflection.clone(),
        };
        for problem in fields.problems(head.kind) {
            // A missing field is reported where the front matter starts.
            let line = line_of_key(front, problem.field).map_or(2, |l| l + 1);
            self.problem(file, Some(line), problem.to_string());
        }
        if head.kind == ActivityKind::Quiz {
            let questions = fields.questions.as_deref().unwrap_or_default();
            self.check_quiz(file, front, fields.pass_mark, questions);
        }
        fields.details(head.kind).ok()
    }

    fn check_quiz(
        &mut self,
        file: &str,
        front: &str,
        pass_mark: Option<u8>,
        questions: &[Question],
    ) {
        if pass_mark.is_some_and(|mark| !(1..=100).contains(&mark)) {
            self.problem(
                file,
                line_of_key(front, "pass_mark").map(|l| l + 1),
                "`pass_mark` è una percentuale da 1 a 100",
            );
        }
        let question_lines: Vec<usize> = front
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "[[questions]]")
            .map(|(i, _)| i + 2)
            .collect();
        for (index, question) in questions.iter().enumerate() {
            if let Some(message) = question_problem(question) {
                let line = question_lines.get(index).copied();
                self.problem(file, line, format!("domanda n. {}: {message}", index + 1));
            }
        }
    }

    /// Files that no path or module reads are almost always misplaced or misnamed.
    fn stray_files(&mut self) {
        let tree = self.tree;
        for file in tree.texts.keys() {
            let known = file == "badges.toml"
                || file == questionnaire::FILE
                || is_path_file(file)
                || (is_module_file(file) && has_sibling(tree, file, "path.toml", 1))
                || (is_activity_file(file) && has_sibling(tree, file, "module.toml", 0))
                || (is_english_body(file)
                    && tree.texts.contains_key(&file.replace(".en.md", ".md")));
            if !known {
                self.problem(
                    file,
                    None,
                    "file non riconosciuto: non appartiene a nessun percorso o modulo",
                );
            }
        }
        for file in &tree.others {
            self.problems.push(Problem::new(
                file,
                None,
                "tipo di file non usato: i contenuti sono .toml, .md e immagini",
            ));
        }
        for image in tree.images.keys().filter(|f| !f.starts_with("images/")) {
            self.problems.push(Problem::new(
                image,
                None,
                "le immagini vanno nella cartella content/images/",
            ));
        }
    }
}

fn question_problem(question: &Question) -> Option<&'static str> {
    match question {
        Question::Single { options, .. } if options.len() < 2 => Some("servono almeno due opzioni"),
        Question::Single { options, .. } if options.iter().filter(|o| o.correct).count() != 1 => {
            Some("una domanda `single` ha esattamente un'opzione giusta (`correct = true`)")
        }
        Question::Multiple { options, .. } if options.len() < 2 => {
            Some("servono almeno due opzioni")
        }
        Question::Multiple { options, .. } if !options.iter().any(|o| o.correct) => {
            Some("una domanda `multiple` ha almeno un'opzione giusta (`correct = true`)")
        }
        Question::Number {
            answer, tolerance, ..
        } if !answer.is_finite() || !tolerance.is_finite() || *tolerance < 0.0 => {
            Some("`answer` e `tolerance` sono numeri, `tolerance` non negativo")
        }
        _ => None,
    }
}

fn is_path_file(file: &str) -> bool {
    depth(file) == 1 && file.ends_with("/path.toml") && !file.starts_with("images/")
}

fn is_module_file(file: &str) -> bool {
    depth(file) == 2 && file.ends_with("/module.toml")
}

fn is_english_body(file: &str) -> bool {
    depth(file) == 2 && file.ends_with(".en.md")
}

fn is_activity_file(file: &str) -> bool {
    depth(file) == 2 && file.ends_with(".md") && !is_english_body(file)
}

fn depth(file: &str) -> usize {
    file.matches('/').count()
}

/// Whether `name` exists `up` folders above `file`'s own folder (0 = same folder).
fn has_sibling(tree: &Tree, file: &str, name: &str, up: usize) -> bool {
    let parts: Vec<&str> = file.split('/').collect();
    let keep = parts.len().saturating_sub(up + 1);
    let mut folder = parts[..keep].join("/");
    if !folder.is_empty() {
        folder.push('/');
    }
    tree.texts.contains_key(&format!("{folder}{name}"))
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
