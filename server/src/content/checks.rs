//! Checks across files, once everything is compiled: prerequisites and badge criteria name real
//! activities, modules and paths, and prerequisites never form a cycle.

use super::compile::Compiled;
use super::problems::Problem;
use officina_core::{ActivityKind, Bundle, Criteria};
use std::collections::{BTreeMap, HashMap};

pub fn check(compiled: &Compiled, problems: &mut Vec<Problem>) {
    let bundle = &compiled.bundle;
    prerequisites_exist(compiled, problems);
    no_prerequisite_cycles(compiled, problems);
    for badge in &bundle.badges {
        if let Some(message) = criteria_problem(bundle, &badge.criteria) {
            let line = compiled.badge_lines.get(&badge.id).copied().flatten();
            problems.push(Problem::new(
                "badges.toml",
                line,
                format!("badge «{}»: {message}", badge.id),
            ));
        }
    }
}

fn prerequisites_exist(compiled: &Compiled, problems: &mut Vec<Problem>) {
    for activity in compiled.bundle.paths.iter().flat_map(|p| p.activities()) {
        let origin = &compiled.activity_files[&activity.id];
        for missing in activity
            .prerequisites
            .iter()
            .filter(|id| compiled.bundle.activity(id).is_none())
        {
            problems.push(Problem::new(
                &origin.file,
                origin.prerequisites_line,
                format!("il prerequisito «{missing}» non è un'attività del programma"),
            ));
        }
    }
}

/// Reports each cycle once, at the file of the activity where it was found.
fn no_prerequisite_cycles(compiled: &Compiled, problems: &mut Vec<Problem>) {
    let graph: BTreeMap<&str, Vec<&str>> = compiled
        .bundle
        .paths
        .iter()
        .flat_map(|p| p.activities())
        .map(|a| {
            (
                a.id.as_str(),
                a.prerequisites.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let mut state: HashMap<&str, Visit> = HashMap::new();
    for start in graph.keys() {
        let mut trail = Vec::new();
        if let Some(cycle) = find_cycle(start, &graph, &mut state, &mut trail) {
            // Every activity of this cycle is reported now, not again from another start.
            for node in &trail {
                state.insert(node, Visit::Done);
            }
            let origin = &compiled.activity_files[cycle[0]];
            problems.push(Problem::new(
                &origin.file,
                origin.prerequisites_line,
                format!("i prerequisiti formano un ciclo: {}", cycle.join(" → ")),
            ));
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    InProgress,
    Done,
}

fn find_cycle<'a>(
    node: &'a str,
    graph: &BTreeMap<&'a str, Vec<&'a str>>,
    state: &mut HashMap<&'a str, Visit>,
    trail: &mut Vec<&'a str>,
) -> Option<Vec<&'a str>> {
    match state.get(node) {
        Some(Visit::Done) => return None,
        Some(Visit::InProgress) => {
            let start = trail.iter().position(|n| *n == node).unwrap_or(0);
            let mut cycle = trail[start..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        None => {}
    }
    state.insert(node, Visit::InProgress);
    trail.push(node);
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(next, graph, state, trail) {
            return Some(cycle);
        }
    }
    trail.pop();
    state.insert(node, Visit::Done);
    None
}

fn criteria_problem(bundle: &Bundle, criteria: &Criteria) -> Option<String> {
    let unknown_path = |path: &Option<String>| {
        path.as_ref()
            .filter(|p| bundle.path(p).is_none())
            .map(|p| format!("il percorso «{p}» non esiste"))
    };
    match criteria {
        Criteria::ActivitiesCompleted { activities } if activities.is_empty() => {
            Some("l'elenco `activities` è vuoto".into())
        }
        Criteria::ActivitiesCompleted { activities } => activities
            .iter()
            .find(|a| bundle.activity(a).is_none())
            .map(|a| format!("l'attività «{a}» non esiste")),
        Criteria::ModuleCompleted { module } => bundle
            .module(module)
            .is_none()
            .then(|| format!("il modulo «{module}» non esiste")),
        Criteria::PathCompleted { path } => bundle
            .path(path)
            .is_none()
            .then(|| format!("il percorso «{path}» non esiste")),
        Criteria::QuizPassed { activity } => match bundle.activity(activity) {
            None => Some(format!("l'attività «{activity}» non esiste")),
            Some(found) if found.activity.kind() != ActivityKind::Quiz => {
                Some(format!("«{activity}» non è un quiz"))
            }
            Some(_) => None,
        },
        Criteria::ChallengesApproved { count, path }
        | Criteria::FamilyTasksConfirmed { count, path } => {
            if *count == 0 {
                Some("`count` deve essere almeno 1".into())
            } else {
                unknown_path(path)
            }
        }
        Criteria::WeeklyStreak { weeks } => {
            (*weeks == 0).then(|| "`weeks` deve essere almeno 1".into())
        }
        Criteria::Awarded => None,
    }
}
