use super::*;
use crate::cohort::tests::{bundle, lesson_done, member, quiz, with_log};
use serde_json::json;

const NOW: &str = "2026-11-25T12:00:00Z";

fn cohort(bundle: &Bundle, members: Vec<MemberLog>) -> Cohort<'_> {
    Cohort {
        path: &bundle.paths[0],
        xp_and_streaks: false,
        startups: None,
        members,
        erased: Default::default(),
    }
}

fn rows(table: &Table) -> Vec<Vec<&str>> {
    table
        .rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn a_row_per_member_from_their_log() {
    let bundle = bundle();
    let all_right = json!([400, [1], 4]);
    let members = vec![
        with_log(
            &bundle,
            member("mamma", Role::Parent, Some("2026-11-24T11:00:00Z")),
            vec![],
        ),
        with_log(
            &bundle,
            member("astro", Role::Learner, Some("2026-11-20T12:00:00Z")),
            vec![
                lesson_done(1, "astro", "2026-11-20T10:00:00+01:00"),
                quiz(2, "astro", "2026-11-21T10:00:00Z", json!([1]), false),
            ],
        ),
        with_log(
            &bundle,
            member("Zeta", Role::Learner, Some("2026-11-25T08:00:00Z")),
            vec![
                lesson_done(3, "Zeta", "2026-11-02T10:00:00Z"),
                quiz(4, "Zeta", "2026-11-03T10:00:00Z", all_right, true),
            ],
        ),
        with_log(&bundle, member("bolide", Role::Learner, None), vec![]),
    ];
    let table = dashboard(&bundle, &cohort(&bundle, members), NOW, Lang::It).learners;
    assert_eq!(
        table.columns,
        [
            "Soprannome",
            "Ruolo",
            "Avanzamento",
            "Ultima attività",
            "Ultima sincronizzazione",
            "Bloccato",
            "Badge"
        ]
    );
    assert_eq!(
        rows(&table),
        [
            [
                "astro",
                "ragazzo/a",
                "50%",
                "2026-11-21",
                "2026-11-20 (non sincronizza da 5 giorni)",
                "no",
                "1: Primo passo"
            ],
            ["bolide", "ragazzo/a", "0%", "mai", "mai", "sì", "0"],
            [
                "Zeta",
                "ragazzo/a",
                "100%",
                "2026-11-03",
                "2026-11-25",
                "no",
                "1: Primo passo"
            ],
            [
                "mamma",
                "genitore",
                "0%",
                "mai",
                "2026-11-24 (non sincronizza da 1 giorno)",
                "sì",
                "0"
            ],
        ]
    );
}

#[test]
fn the_dashboard_speaks_english_too() {
    let bundle = bundle();
    let members = vec![with_log(
        &bundle,
        member("astro", Role::Learner, Some("2026-11-20T12:00:00Z")),
        vec![],
    )];
    let board = dashboard(&bundle, &cohort(&bundle, members), NOW, Lang::En);
    assert_eq!(board.learners.columns[4], "Last synced");
    assert_eq!(
        rows(&board.learners)[0],
        [
            "astro",
            "young person",
            "0%",
            "never",
            "2026-11-20 (not synced for 5 days)",
            "yes",
            "0"
        ]
    );
    assert_eq!(board.activities.columns[3], "Completed by");
    assert_eq!(rows(&board.activities)[0][2], "lesson");
}

#[test]
fn stuck_after_fourteen_whole_days_without_an_activity_newly_done() {
    let bundle = bundle();
    let path = &bundle.paths[0];
    let astro = |joined: &str, events| {
        let mut m = member("astro", Role::Learner, None);
        m.joined_at = joined.into();
        with_log(&bundle, m, events)
    };
    let halfway = astro(
        "2026-11-01T09:00:00Z",
        vec![
            lesson_done(1, "astro", "2026-11-01T10:00:00Z"),
            // Failed attempts are activity, not progress.
            quiz(2, "astro", "2026-11-14T10:00:00Z", json!([]), false),
        ],
    );
    assert!(!is_stuck(&halfway, path, "2026-11-15T09:59:59Z"));
    assert!(is_stuck(&halfway, path, "2026-11-15T10:00:00Z"));
    // Work done on the phone before joining counts from joining.
    let late_joiner = astro(
        "2026-11-10T00:00:00Z",
        vec![lesson_done(1, "astro", "2026-11-01T10:00:00Z")],
    );
    assert!(!is_stuck(&late_joiner, path, "2026-11-23T23:59:59Z"));
    assert!(is_stuck(&late_joiner, path, "2026-11-24T00:00:00Z"));
    let nothing_yet = astro("2026-11-01T10:00:00Z", vec![]);
    assert!(!is_stuck(&nothing_yet, path, "2026-11-15T09:59:59Z"));
    assert!(is_stuck(&nothing_yet, path, "2026-11-15T10:00:00Z"));
    let finished = astro(
        "2026-01-01T10:00:00Z",
        vec![
            lesson_done(1, "astro", "2026-01-01T10:00:00Z"),
            quiz(
                2,
                "astro",
                "2026-01-01T11:00:00Z",
                json!([400, [1], 4]),
                true,
            ),
        ],
    );
    assert!(!is_stuck(&finished, path, "2026-11-25T10:00:00Z"));
}

#[test]
fn activities_show_completion_and_the_questions_most_often_wrong_at_first() {
    let bundle = bundle();
    let mut members = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for i in 1..=7 {
        let id = format!("l{i}");
        let mut events = vec![lesson_done(next(), &id, "2026-11-20T10:00:00Z")];
        let first = match i {
            // All wrong on the ISS's height; l1 and l2 on the orbit too.
            1 | 2 => Some(json!([500, [0], 4])),
            3..=5 => Some(json!([500, [1], 4])),
            6 => Some(json!([400, [1], 4])),
            _ => None,
        };
        if let Some(answers) = first {
            let passed = i == 6;
            events.push(quiz(next(), &id, "2026-11-21T10:00:00Z", answers, passed));
        }
        match i {
            1 => events.push(quiz(
                next(),
                &id,
                "2026-11-22T10:00:00Z",
                json!([400, [1], 4]),
                true,
            )),
            // Retries after the feedback do not count: had they, the orbit would be wrong 5 times.
            3..=5 => events.push(quiz(
                next(),
                &id,
                "2026-11-22T10:00:00Z",
                json!([500, [0], 4]),
                false,
            )),
            _ => {}
        }
        members.push(with_log(&bundle, member(&id, Role::Learner, None), events));
    }
    // A parent's work is not the learners' completion.
    members.push(with_log(
        &bundle,
        member("mamma", Role::Parent, None),
        vec![quiz(
            next(),
            "mamma",
            "2026-11-21T10:00:00Z",
            json!([400, [1], 4]),
            true,
        )],
    ));
    let table = dashboard(&bundle, &cohort(&bundle, members), NOW, Lang::It).activities;
    assert_eq!(
        table.columns,
        [
            "Modulo",
            "Attività",
            "Tipo",
            "Completata da",
            "Punteggio medio al primo tentativo",
            "Domande più sbagliate"
        ]
    );
    // First attempts: 1, 1, 2, 2, 2 and 3 right answers of 3; l7 never tried.
    assert_eq!(
        rows(&table),
        [
            ["Orbite", "orbite-intro", "lezione", "7 di 7", "", ""],
            [
                "Orbite",
                "orbite-quiz",
                "quiz",
                "2 di 7",
                "1,8 su 3",
                "1. Quota della ISS in km? (5); 2. Chi orbita? (2)"
            ],
        ]
    );
}

#[test]
fn the_educator_sees_exact_figures_however_small_the_cohort() {
    let bundle = bundle();
    // `count` learners who did the lesson and tried the quiz once, right on 2 of 3 questions.
    let learners = |count: usize| -> Vec<MemberLog> {
        (0..count)
            .map(|i| {
                let id = format!("l{i}");
                let n = 10 * i as u128;
                let events = vec![
                    lesson_done(n, &id, "2026-11-20T10:00:00Z"),
                    quiz(
                        n + 1,
                        &id,
                        "2026-11-21T10:00:00Z",
                        json!([400, [0], 4]),
                        false,
                    ),
                ];
                with_log(&bundle, member(&id, Role::Learner, None), events)
            })
            .collect()
    };
    let cells = |count, lang| {
        let board = dashboard(&bundle, &cohort(&bundle, learners(count)), NOW, lang);
        let (lesson, quiz) = (&board.activities.rows[0], &board.activities.rows[1]);
        [
            lesson[3].clone(),
            quiz[3].clone(),
            quiz[4].clone(),
            quiz[5].clone(),
        ]
    };
    assert_eq!(cells(0, Lang::It), ["0 di 0", "0 di 0", "—", ""]);
    assert_eq!(
        cells(1, Lang::It),
        ["1 di 1", "0 di 1", "2,0 su 3", "2. Chi orbita? (1)"]
    );
    assert_eq!(
        cells(4, Lang::En),
        ["4 of 4", "0 of 4", "2.0 of 3", "2. Chi orbita? (4)"]
    );
    assert_eq!(cells(5, Lang::It)[..3], ["5 di 5", "0 di 5", "2,0 su 3"]);
}
