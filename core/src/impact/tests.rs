use super::*;
use crate::account::Role;
use crate::cohort::MemberLog;
use crate::cohort::tests::{bundle, event, lesson_done, member, owned, quiz, with_log};
use crate::content::{Activity, Audience, Details, FamilyTask, Module, Path};
use crate::events::{Event, EventKind};
use crate::i18n::Localized;
use serde_json::{Value, json};
use uuid::Uuid;

const NOW: &str = "2026-11-25T12:00:00Z";
const RECENT: &str = "2026-11-20T10:00:00Z";

/// The sample bundle (a Space Camp path) with a family path ("compito", a family task) and an
/// IN-Community one.
fn programme_bundle() -> Bundle {
    let mut bundle = bundle();
    let family_task = Activity {
        id: "compito".into(),
        title: Localized::it("Compito"),
        body_html: Localized::it("<p>insieme</p>"),
        minutes: None,
        xp: None,
        prerequisites: vec![],
        details: Details::FamilyTask(FamilyTask {
            materials: vec![],
            safety: vec![],
            steps: vec![],
            reflection: None,
        }),
    };
    let path = |id: &str, programme, audience, activities| Path {
        id: id.into(),
        title: Localized::it(id),
        summary: Localized::it(id),
        audience,
        programme: Some(programme),
        edition: "2026".into(),
        ages: None,
        cover: None,
        modules: vec![Module {
            id: format!("{id}-m"),
            title: Localized::it("Modulo"),
            activities,
        }],
    };
    bundle.paths.push(path(
        "famiglia",
        Programme::SteamcampFamily,
        Audience::Family,
        vec![family_task],
    ));
    bundle.paths.push(path(
        "impresa",
        Programme::InCommunity,
        Audience::Startups,
        vec![],
    ));
    bundle
}

fn assessed(n: u128, user: &str, path: &str, moment: &str, at: &str, answers: Value) -> Event {
    let data = json!({"path_id": path, "moment": moment, "answers": answers});
    let event = Event::with_data(
        Uuid::from_u128(n),
        EventKind::SelfAssessed,
        None,
        at.into(),
        data,
    );
    owned(user, event)
}

fn confirmed(n: u128, user: &str, role: &str) -> Event {
    let data = json!({"role": role});
    event(
        n,
        user,
        EventKind::FamilyTaskConfirmed,
        "compito",
        RECENT,
        data,
    )
}

fn group(
    bundle: &Bundle,
    path: usize,
    startups: Option<u32>,
    members: Vec<MemberLog>,
) -> Cohort<'_> {
    Cohort {
        path: &bundle.paths[path],
        xp_and_streaks: false,
        startups,
        members,
        erased: Default::default(),
    }
}

/// Five Space Camp learners who did the lesson and answered before (1, 2) and after (3, 3), two
/// of whom passed the quiz, and a sixth who only answered before, two months ago.
fn space_camp_learners(bundle: &Bundle) -> Vec<MemberLog> {
    let mut learners: Vec<MemberLog> = (0..5u128)
        .map(|i| {
            let id = format!("s{i}");
            let mut events = vec![
                lesson_done(10 * i + 1, &id, RECENT),
                assessed(
                    10 * i + 2,
                    &id,
                    "space-camp",
                    "before",
                    "2026-11-01T10:00:00Z",
                    json!([1, 2]),
                ),
                assessed(
                    10 * i + 3,
                    &id,
                    "space-camp",
                    "after",
                    RECENT,
                    json!([3, 3]),
                ),
            ];
            if i < 2 {
                let all_right = json!([400, [1], 4]);
                events.push(quiz(10 * i + 4, &id, RECENT, all_right, true));
            }
            with_log(bundle, member(&id, Role::Learner, None), events)
        })
        .collect();
    let late = assessed(
        99,
        "s5",
        "space-camp",
        "before",
        "2026-09-20T10:00:00Z",
        json!([4, 4]),
    );
    learners.push(with_log(
        bundle,
        member("s5", Role::Learner, None),
        vec![late],
    ));
    learners
}

fn rows(impact: &Impact, index: usize) -> Vec<Vec<&str>> {
    impact.tables[index]
        .table
        .rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn the_programme_against_its_targets_with_small_cells_hidden() {
    let bundle = programme_bundle();
    let family = vec![
        with_log(
            &bundle,
            member("c1", Role::Learner, None),
            vec![confirmed(1, "c1", "child"), confirmed(2, "p1", "parent")],
        ),
        with_log(
            &bundle,
            member("p1", Role::Parent, None),
            vec![confirmed(1, "c1", "child"), confirmed(2, "p1", "parent")],
        ),
        with_log(&bundle, member("c2", Role::Learner, None), vec![]),
        with_log(&bundle, member("p2", Role::Parent, None), vec![]),
    ];
    let cohorts = [
        group(&bundle, 0, None, space_camp_learners(&bundle)),
        group(&bundle, 0, None, vec![]),
        group(&bundle, 1, None, family),
        group(
            &bundle,
            2,
            Some(2),
            vec![with_log(&bundle, member("i1", Role::Learner, None), vec![])],
        ),
    ];
    let impact = programme(&bundle, &cohorts, NOW, Lang::It);
    let titles: Vec<&str> = impact.tables.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Percorsi svolti e obiettivi",
            "Persone raggiunte e obiettivi",
            "Partecipazione",
            "Autovalutazione delle competenze digitali"
        ]
    );
    assert_eq!(
        rows(&impact, 0),
        [
            ["Space Camp", "1", "1", "—", "—"],
            ["STEAMcamp", "0", "5", "—", "—"],
            ["STEAMcamp Family", "1", "3", "—", "—"],
            ["IN-Community", "1", "3", "2", "9"],
        ]
    );
    assert_eq!(
        rows(&impact, 1),
        [["Ragazzi e ragazze", "9", "180"], ["Genitori", "<5", "120"]]
    );
    assert_eq!(
        rows(&impact, 2),
        [
            ["Space Camp", "6", "0", "5", "33%", "5", "0"],
            ["STEAMcamp", "0", "0", "0", "0%", "0", "0"],
            ["STEAMcamp Family", "<5", "<5", "<5", "<5", "0", "<5"],
            ["IN-Community", "<5", "0", "0", "0%", "0", "0"],
            ["Totale", "9", "<5", "7", "33%", "5", "1"],
        ]
    );
    assert_eq!(
        rows(&impact, 3),
        [
            ["Space Camp", "5", "1,5", "3,0"],
            ["STEAMcamp", "0", "n/d", "n/d"],
            ["STEAMcamp Family", "0", "n/d", "n/d"],
            ["IN-Community", "0", "n/d", "n/d"],
            ["Totale", "5", "1,5", "3,0"],
        ]
    );
}

#[test]
fn a_cohort_of_four_shows_no_figure_about_them_but_its_zeros() {
    let bundle = programme_bundle();
    let mut learners = space_camp_learners(&bundle);
    learners.truncate(5);
    let five = super::cohort(
        &bundle,
        &group(&bundle, 0, None, learners.clone()),
        NOW,
        Lang::En,
    );
    assert_eq!(
        rows(&five, 0),
        [["Space Camp", "5", "0", "5", "40%", "5", "0"]]
    );
    assert_eq!(rows(&five, 1), [["Space Camp", "5", "1.5", "3.0"]]);
    learners.truncate(4);
    let four = super::cohort(&bundle, &group(&bundle, 0, None, learners), NOW, Lang::En);
    assert_eq!(four.tables[0].title, "Participation");
    assert_eq!(
        rows(&four, 0),
        [["Space Camp", "<5", "0", "<5", "<5", "<5", "0"]]
    );
    assert_eq!(rows(&four, 1), [["Space Camp", "<5", "n/a", "n/a"]]);
    assert_eq!(
        four.tables[1].table.columns[2..],
        [
            "Mean before (1–4; n/a under 5 people)",
            "Mean after (1–4; n/a under 5 people)"
        ]
    );
    assert_eq!(four.tables.len(), 2, "no start-ups outside IN-Community");
}

#[test]
fn an_in_community_cohort_shows_its_start_ups() {
    let bundle = programme_bundle();
    let impact = super::cohort(&bundle, &group(&bundle, 2, Some(2), vec![]), NOW, Lang::It);
    assert_eq!(impact.tables[2].title, "Start-up");
    assert_eq!(rows(&impact, 2), [["2", "3"]]);
}

#[test]
fn the_csv_puts_each_table_under_its_title() {
    let bundle = programme_bundle();
    let impact = super::cohort(&bundle, &group(&bundle, 2, Some(2), vec![]), NOW, Lang::It);
    let csv = impact.to_csv();
    let expected = [
        impact.tables[0].table.to_csv(),
        impact.tables[1].table.to_csv(),
        impact.tables[2].table.to_csv(),
    ];
    assert_eq!(
        csv,
        format!(
            "Partecipazione\r\n{}\r\nAutovalutazione delle competenze digitali\r\n{}\r\nStart-up\r\n{}",
            expected[0], expected[1], expected[2]
        )
    );
    assert!(csv.ends_with("2,3\r\n"), "{csv}");
}

#[test]
fn self_assessment_takes_the_first_before_and_the_latest_after_of_that_path() {
    let bundle = programme_bundle();
    let answers = |events: Vec<Event>| {
        let learner = with_log(&bundle, member("a", Role::Learner, None), events);
        learner.summary.before_and_after("space-camp")
    };
    let before = |n, at, values| assessed(n, "a", "space-camp", "before", at, values);
    let after = |n, at, values| assessed(n, "a", "space-camp", "after", at, values);
    assert_eq!(
        answers(vec![
            before(1, "2026-11-02T10:00:00Z", json!([4, 4])),
            before(2, "2026-11-01T10:00:00Z", json!([1, 2])),
            after(3, "2026-11-20T10:00:00Z", json!([2, 2])),
            after(4, "2026-11-21T10:00:00Z", json!([3, 4])),
            assessed(
                5,
                "a",
                "altro",
                "after",
                "2026-11-22T10:00:00Z",
                json!([1, 1])
            ),
        ]),
        Some((1.5, 3.5))
    );
    assert_eq!(
        answers(vec![before(1, RECENT, json!([2]))]),
        None,
        "no after"
    );
    for bad in [json!([]), json!([0, 2]), json!([5]), json!(["3"]), json!(3)] {
        let events = vec![before(1, RECENT, json!([2])), after(2, RECENT, bad.clone())];
        assert_eq!(answers(events), None, "{bad}");
    }
}

#[test]
fn the_targets_are_the_programmes() {
    let paths: u32 = [
        Programme::SpaceCamp,
        Programme::Steamcamp,
        Programme::SteamcampFamily,
    ]
    .into_iter()
    .map(target_paths)
    .sum();
    assert_eq!(paths, 9, "9 education paths in 3 years");
    assert_eq!(target_paths(Programme::InCommunity) * STARTUPS_PER_PATH, 9);
    assert_eq!((TARGET_YOUNG_PEOPLE, TARGET_PARENTS), (180, 120));
}

#[test]
fn an_erased_members_counts_stay_in_the_report_without_them() {
    let bundle = programme_bundle();
    let learners = space_camp_learners(&bundle);
    let whole = group(&bundle, 0, None, learners.clone());
    let mut without = group(&bundle, 0, None, learners[1..].to_vec());
    let first = &learners[0];
    without.erased = Reach::of_member(&bundle, whole.path, whole.xp_and_streaks, first);
    assert_eq!(without.erased.young_people, 1);
    assert_eq!(without.erased.self_assessed.people, 1);
    let (before, after) = (
        Reach::of(&bundle, [&whole], NOW),
        Reach::of(&bundle, [&without], NOW),
    );
    assert_eq!(
        Reach { active: 0, ..after },
        Reach {
            active: 0,
            ..before.clone()
        },
        "everything but who is active now"
    );
    assert_eq!(after.active + 1, before.active);
    assert_eq!(
        before.lost_in(&Reach::default()).young_people,
        before.young_people
    );
    assert_eq!(before.lost_in(&before), Reach::default(), "nothing lost");
}
