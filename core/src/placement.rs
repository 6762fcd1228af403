//! What a person sees first: their cohort's path and its badges, then the rest under "Altri
//! percorsi" / "Altri badge"; the family paths only in a family cohort, IN-Community only in its
//! own. Before joining (no known cohort path) everything is shown as it comes in the programme.

use crate::content::{Audience, Badge, Bundle, Criteria, Path};
use crate::progress::{Progress, Status};

/// Where a path or a badge goes, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// The cohort's own path, or one of its badges.
    Own,
    /// In the first list too: everything before joining, and badges of no path (streaks, awards).
    Shared,
    /// Under "Altri percorsi" / "Altri badge", closed by default.
    Other,
    /// Not shown: a family path outside a family cohort, IN-Community outside its cohorts.
    Hidden,
}

/// Where `path` goes for someone whose cohort follows `own` (`None` before joining).
pub fn path_place(path: &Path, own: Option<&Path>) -> Place {
    let Some(own) = own else {
        return Place::Shared;
    };
    if path.id == own.id {
        Place::Own
    } else if path.audience != Audience::Learners && path.audience != own.audience {
        Place::Hidden
    } else {
        Place::Other
    }
}

/// The path a badge belongs to, through its criterion; `None` for a badge of no path.
pub fn badge_path<'a>(bundle: &'a Bundle, badge: &Badge) -> Option<&'a Path> {
    let of_activity = |id: &str| bundle.activity(id).map(|found| found.path);
    match &badge.criteria {
        Criteria::ActivitiesCompleted { activities } => of_activity(activities.first()?),
        Criteria::QuizPassed { activity } => of_activity(activity),
        Criteria::ModuleCompleted { module } => bundle
            .paths
            .iter()
            .find(|p| p.modules.iter().any(|m| &m.id == module)),
        Criteria::PathCompleted { path } => bundle.path(path),
        Criteria::ChallengesApproved { path, .. } | Criteria::FamilyTasksConfirmed { path, .. } => {
            bundle.path(path.as_deref()?)
        }
        Criteria::WeeklyStreak { .. } | Criteria::Awarded => None,
    }
}

/// Where `badge` goes: with its path, or in the first list when it belongs to none.
pub fn badge_place(bundle: &Bundle, badge: &Badge, own: Option<&Path>) -> Place {
    badge_path(bundle, badge).map_or(Place::Shared, |path| path_place(path, own))
}

/// The positions of the items to show first (own, then shared) and of the others, each in the
/// order given; hidden ones left out. Positions rather than items: one copy of this code serves
/// every list (the learner app's size counts).
pub fn arrange(places: &[Place]) -> (Vec<usize>, Vec<usize>) {
    let (mut first, mut shared, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for (i, place) in places.iter().enumerate() {
        match place {
            Place::Own => first.push(i),
            Place::Shared => shared.push(i),
            Place::Other => others.push(i),
            Place::Hidden => {}
        }
    }
    first.append(&mut shared);
    (first, others)
}

/// The paths whose images a device keeps for offline use: a parent's family paths, the cohort's
/// path, or before joining the paths the learner has started.
pub fn paths_kept_offline<'a>(
    bundle: &'a Bundle,
    own: Option<&Path>,
    parent: bool,
    progress: &Progress,
) -> Vec<&'a Path> {
    let started = |path: &Path| {
        path.activities()
            .any(|a| progress.status(&a.id) != Status::NotStarted)
    };
    bundle
        .paths
        .iter()
        .filter(|path| match (parent, own) {
            (true, _) => path.audience == Audience::Family,
            (false, Some(own)) => path.id == own.id,
            (false, None) => started(path),
        })
        .collect()
}

/// Where the content images of `paths` are named: each path's cover, its activities' text (both
/// languages) and its badges' images, in that order, as one text. The app's JavaScript picks the
/// `/content/images/…` URLs out of it (a regular expression there costs the wasm nothing).
pub fn image_sources(bundle: &Bundle, paths: &[&Path]) -> String {
    let mut text = String::new();
    for path in paths {
        let bodies = path
            .activities()
            .flat_map(|a| [Some(&a.body_html.it), a.body_html.en.as_ref()]);
        let badges = bundle
            .badges
            .iter()
            .filter(|b| badge_path(bundle, b).is_some_and(|p| p.id == path.id))
            .map(|b| Some(&b.image));
        for source in [path.cover.as_ref()]
            .into_iter()
            .chain(bodies)
            .chain(badges)
            .flatten()
        {
            text.push_str(source);
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventKind;
    use crate::content::tests::sample_bundle;
    use crate::events::EventLog;
    use crate::events::tests::activity_event;
    use crate::i18n::Localized;

    /// Space Camp (learners), plus a coding path, a family path and IN-Community.
    fn programme() -> Bundle {
        let mut bundle = sample_bundle();
        let space = bundle.paths[0].clone();
        let copy = |id: &str, audience| {
            let mut path = space.clone();
            path.id = id.into();
            path.audience = audience;
            path.modules[0].id = format!("{id}-m");
            for activity in &mut path.modules[0].activities {
                activity.id = format!("{id}-{}", activity.id);
            }
            path
        };
        bundle.paths = vec![
            space.clone(),
            copy("coding", Audience::Learners),
            copy("family", Audience::Family),
            copy("in-community", Audience::Startups),
        ];
        let badge = |id: &str, criteria| Badge {
            id: id.into(),
            name: Localized::it(id),
            description: Localized::it(id),
            image: format!("/content/images/badges/{id}.svg?v=1"),
            criteria,
        };
        bundle.badges = vec![
            badge("streak", Criteria::WeeklyStreak { weeks: 3 }),
            badge(
                "space",
                Criteria::ModuleCompleted {
                    module: "orbite".into(),
                },
            ),
            badge(
                "family",
                Criteria::FamilyTasksConfirmed {
                    count: 2,
                    path: Some("family".into()),
                },
            ),
            badge(
                "coding",
                Criteria::QuizPassed {
                    activity: "coding-orbite-quiz".into(),
                },
            ),
            badge(
                "startup",
                Criteria::PathCompleted {
                    path: "in-community".into(),
                },
            ),
            badge(
                "any-challenge",
                Criteria::ChallengesApproved {
                    count: 1,
                    path: None,
                },
            ),
        ];
        bundle
    }

    fn ids<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<&'a str> {
        paths.into_iter().map(|p| p.id.as_str()).collect()
    }

    /// The items at `positions`.
    fn at<T>(items: &[T], positions: Vec<usize>) -> Vec<&T> {
        positions.into_iter().map(|i| &items[i]).collect()
    }

    fn path_places(bundle: &Bundle, own: Option<&Path>) -> Vec<Place> {
        bundle.paths.iter().map(|p| path_place(p, own)).collect()
    }

    fn arranged_paths<'a>(bundle: &'a Bundle, own: &str) -> (Vec<&'a str>, Vec<&'a str>) {
        let (first, others) = arrange(&path_places(bundle, bundle.path(own)));
        (
            ids(at(&bundle.paths, first)),
            ids(at(&bundle.paths, others)),
        )
    }

    #[test]
    fn a_learner_sees_their_path_first_and_neither_family_nor_startup_paths() {
        let bundle = programme();
        assert_eq!(
            arranged_paths(&bundle, "coding"),
            (vec!["coding"], vec!["space-camp"])
        );
    }

    #[test]
    fn family_and_startup_paths_show_only_to_their_own_cohorts() {
        let bundle = programme();
        assert_eq!(
            arranged_paths(&bundle, "family"),
            (vec!["family"], vec!["space-camp", "coding"])
        );
        assert_eq!(
            arranged_paths(&bundle, "in-community"),
            (vec!["in-community"], vec!["space-camp", "coding"])
        );
    }

    #[test]
    fn before_joining_everything_shows_as_in_the_programme() {
        let bundle = programme();
        let (first, others) = arrange(&path_places(&bundle, None));
        assert_eq!(
            ids(at(&bundle.paths, first)),
            ["space-camp", "coding", "family", "in-community"]
        );
        assert!(others.is_empty());
        let places: Vec<Place> = bundle
            .badges
            .iter()
            .map(|b| badge_place(&bundle, b, None))
            .collect();
        assert_eq!(arrange(&places).0, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn badges_follow_the_path_of_their_criterion() {
        let bundle = programme();
        let own = bundle.path("coding");
        let places: Vec<Place> = bundle
            .badges
            .iter()
            .map(|b| badge_place(&bundle, b, own))
            .collect();
        let (first, others) = arrange(&places);
        let names = |positions: Vec<usize>| -> Vec<&str> {
            positions
                .into_iter()
                .map(|i| bundle.badges[i].id.as_str())
                .collect()
        };
        // The own path's badges, then the badges of no path; family and start-up ones hidden.
        assert_eq!(names(first), ["coding", "streak", "any-challenge"]);
        assert_eq!(names(others), ["space"]);
    }

    #[test]
    fn offline_images_are_those_of_the_own_paths() {
        let mut bundle = programme();
        bundle.paths[1].cover = Some("/content/images/covers/coding.svg?v=2".into());
        bundle.paths[1].modules[0].activities[0].body_html = Localized {
            it: r#"<p>x</p><img src="/content/images/lessons/a.svg?v=3" alt="A"><img alt="B" src="/content/images/lessons/b.svg?v=4">"#.into(),
            en: Some(r#"<img src="/content/images/lessons/a.svg?v=3" alt="A"><img src="https://example.org/c.png">"#.into()),
        };
        let progress = Progress::default();
        let kept = paths_kept_offline(&bundle, bundle.path("coding"), false, &progress);
        assert_eq!(ids(kept.iter().copied()), ["coding"]);
        let text = image_sources(&bundle, &kept);
        let at = |url: &str| {
            text.find(url)
                .unwrap_or_else(|| panic!("{url} missing from {text}"))
        };
        let (cover, a, b) = (
            at("/content/images/covers/coding.svg?v=2"),
            at("/content/images/lessons/a.svg?v=3"),
            at("/content/images/lessons/b.svg?v=4"),
        );
        assert!(cover < a && a < b && b < at("/content/images/badges/coding.svg?v=1"));
        assert!(
            !text.contains("badges/space.svg"),
            "another path's badge: {text}"
        );
        assert_eq!(
            ids(paths_kept_offline(&bundle, None, true, &progress)),
            ["family"]
        );
    }

    #[test]
    fn before_joining_the_started_paths_are_kept_offline() {
        let bundle = programme();
        let mut log = EventLog::default();
        assert!(
            paths_kept_offline(&bundle, None, false, &Progress::from_log(&log, &bundle)).is_empty()
        );
        // A failed attempt: the path is started, nothing in it done.
        log.insert(activity_event(
            1,
            EventKind::QuizSubmitted,
            "coding-orbite-quiz",
            "2026-01-01T10:00:00Z",
            serde_json::json!({"answers": [], "score": 0, "passed": false}),
        ));
        let progress = Progress::from_log(&log, &bundle);
        assert_eq!(progress.status("coding-orbite-quiz"), Status::InProgress);
        assert_eq!(
            ids(paths_kept_offline(&bundle, None, false, &progress)),
            ["coding"]
        );
    }
}
