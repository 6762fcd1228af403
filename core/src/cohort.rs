//! A cohort's members and their logs, as the educators' dashboard and impact report read them.

use crate::account::Role;
use crate::badges::{BadgeStatus, evaluate};
use crate::content::{Badge, Bundle, Criteria, Path};
use crate::events::EventLog;
use crate::impact::Reach;
use crate::progress::Progress;
use crate::summary::Summary;

/// A member of a cohort: a learner or a parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub nickname: String,
    pub role: Role,
    /// RFC 3339, when the account was made.
    pub joined_at: String,
    /// RFC 3339 (server clock), the last push or pull; `None` if the device never synced.
    pub last_synced_at: Option<String>,
}

/// A member with the summary of their log (their own events and their linked relatives' family
/// confirmations, as the server keeps it), and the progress and badges it gives, worked out once.
#[derive(Debug, Clone)]
pub struct MemberLog {
    pub member: Member,
    /// Only what the events the programme's rules accept today say: nothing else counts anywhere.
    pub summary: Summary,
    pub progress: Progress,
    /// The ids of the badges earned, whatever the cohort's settings.
    earned: Vec<String>,
}

impl MemberLog {
    pub fn new(member: Member, summary: Summary, bundle: &Bundle) -> Self {
        let progress = Progress::of(&summary.fold);
        let earned = evaluate(bundle, &summary.fold, &progress)
            .into_iter()
            .filter(BadgeStatus::earned)
            .map(|s| s.badge.id.clone())
            .collect();
        Self {
            member,
            summary,
            progress,
            earned,
        }
    }

    /// The member with their whole log, folded here.
    pub fn of_log(member: Member, log: &EventLog, bundle: &Bundle) -> Self {
        let summary = Summary::of_log(log, bundle, &member.id);
        Self::new(member, summary, bundle)
    }

    /// The device time of the member's latest own action.
    pub fn last_activity(&self) -> Option<&str> {
        self.summary.last_activity()
    }

    /// The badges the member has earned, as the cohort's settings let them count.
    pub fn badges<'b>(&self, bundle: &'b Bundle, xp_and_streaks: bool) -> Vec<&'b Badge> {
        bundle
            .badges
            .iter()
            .filter(|b| self.earned.contains(&b.id) && counts(b, xp_and_streaks))
            .collect()
    }
}

/// Whether a badge counts in a cohort: where points and streaks are off, streak badges do not.
pub fn counts(badge: &Badge, xp_and_streaks: bool) -> bool {
    xp_and_streaks || !matches!(badge.criteria, Criteria::WeeklyStreak { .. })
}

/// A cohort as the reports read it.
#[derive(Debug, Clone)]
pub struct Cohort<'a> {
    pub path: &'a Path,
    pub xp_and_streaks: bool,
    /// The start-ups an IN-Community cohort follows.
    pub startups: Option<u32>,
    pub members: Vec<MemberLog>,
    /// What members whose accounts were erased had added to the impact report's counts, summed.
    pub erased: Reach,
}

impl Cohort<'_> {
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &MemberLog> {
        self.members.iter().filter(move |m| m.member.role == role)
    }
}

/// What the dashboard's and the impact report's tests build their cohorts from.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;
    use crate::content::{Choice, Details, Question};
    use crate::events::tests::activity_event;
    use crate::events::{Event, EventKind};
    use crate::i18n::Localized;
    use crate::payload::Payload;
    use crate::payload::Verdict;
    use crate::quiz::Answer;
    use crate::testing::{attempt, every_kind, finishing, review};
    use serde_json::json;
    use uuid::Uuid;

    /// The sample path ("orbite-intro", then "orbite-quiz" with three questions: 400 km, a
    /// single choice whose right option is the second, 2 + 2; passed only with every answer
    /// right), a badge for the lesson and one for a weekly streak.
    pub fn bundle() -> Bundle {
        let mut bundle = sample_bundle();
        let Details::Quiz(quiz) = &mut bundle.paths[0].modules[0].activities[1].details else {
            unreachable!("the sample's second activity is a quiz")
        };
        quiz.pass_mark = 100;
        let choice = |correct| Choice {
            text: Localized::it("x"),
            correct,
            feedback: None,
        };
        quiz.questions.push(Question::Single {
            prompt: Localized::it("Chi orbita?"),
            options: vec![choice(false), choice(true)],
        });
        quiz.questions.push(Question::Number {
            prompt: Localized::it("2 + 2?"),
            answer: 4.0,
            tolerance: 0.0,
            unit: None,
            feedback: None,
        });
        let badge = |id: &str, name: &str, criteria| Badge {
            id: id.into(),
            name: Localized::it(name),
            description: Localized::it("d"),
            image: "/b.svg".into(),
            criteria,
        };
        bundle.badges = vec![
            badge(
                "primo-passo",
                "Primo passo",
                Criteria::ActivitiesCompleted {
                    activities: vec!["orbite-intro".into()],
                },
            ),
            badge("costanza", "Costanza", Criteria::WeeklyStreak { weeks: 1 }),
        ];
        bundle
    }

    pub fn member(id: &str, role: Role, synced: Option<&str>) -> Member {
        Member {
            id: id.into(),
            nickname: id.into(),
            role,
            joined_at: "2026-11-01T09:00:00Z".into(),
            last_synced_at: synced.map(Into::into),
        }
    }

    /// An event of `user` about `activity`.
    pub fn event(
        n: u128,
        user: &str,
        kind: EventKind,
        activity: &str,
        at: &str,
        data: serde_json::Value,
    ) -> Event {
        owned(user, activity_event(n, kind, activity, at, data))
    }

    pub fn owned(user: &str, mut event: Event) -> Event {
        event.user_id = Some(user.into());
        event
    }

    /// `user`'s attempt `n` at the quiz of [`bundle`] with these answers (JSON, as the app
    /// sends them), scored by `core`; `passed` says what the test means it to be.
    pub fn quiz(n: u128, user: &str, at: &str, answers: serde_json::Value, passed: bool) -> Event {
        let bundle = bundle();
        let Details::Quiz(quiz) = &bundle.paths[0].modules[0].activities[1].details else {
            unreachable!("the sample's second activity is a quiz")
        };
        let answers: Vec<Option<Answer>> = serde_json::from_value(answers).unwrap();
        let payload = attempt(quiz, answers);
        assert!(
            matches!(&payload, Payload::Quiz(a) if a.passed == passed),
            "{payload:?}"
        );
        let event = Event::new(Uuid::from_u128(n), Some("orbite-quiz"), at.into(), &payload);
        owned(user, event)
    }

    pub fn lesson_done(n: u128, user: &str, at: &str) -> Event {
        event(
            n,
            user,
            EventKind::ActivityCompleted,
            "orbite-intro",
            at,
            json!({}),
        )
    }

    pub fn with_log(bundle: &Bundle, member: Member, events: Vec<Event>) -> MemberLog {
        let mut log = EventLog::default();
        log.merge(events);
        MemberLog::of_log(member, &log, bundle)
    }

    #[test]
    fn own_events_leave_out_relatives_and_educators() {
        let bundle = every_kind();
        let submission = owned(
            "astro",
            finishing(&bundle, 3, "sfida", "2026-11-19T10:00:00Z"),
        );
        let approval = owned(
            "astro",
            review(4, "sfida", "2026-11-30T10:00:00Z", Verdict::Approved),
        );
        let m = with_log(
            &bundle,
            member("astro", Role::Learner, None),
            vec![
                lesson_done(1, "astro", "2026-11-20T10:00:00+01:00"),
                lesson_done(2, "mamma", "2026-11-29T10:00:00Z"),
                submission,
                approval,
            ],
        );
        assert!(
            m.progress.is_done("sfida"),
            "the educator's approval counts"
        );
        assert_eq!(
            m.last_activity(),
            Some("2026-11-20T10:00:00+01:00"),
            "not the mother's lesson, not the approval"
        );
    }

    #[test]
    fn events_the_rules_refuse_are_left_out_of_the_log() {
        let bundle = bundle();
        let forged = event(
            2,
            "astro",
            EventKind::ActivityCompleted,
            "orbite-quiz",
            "2026-11-20T10:00:00Z",
            json!({}),
        );
        let m = with_log(
            &bundle,
            member("astro", Role::Learner, None),
            vec![lesson_done(1, "astro", "2026-11-20T10:00:00Z"), forged],
        );
        assert!(!m.progress.is_done("orbite-quiz"));
        assert_eq!(
            m.summary,
            with_log(
                &bundle,
                m.member.clone(),
                vec![lesson_done(1, "astro", "2026-11-20T10:00:00Z")]
            )
            .summary
        );
    }

    /// Stored events are judged against the server's receipt, which the reports' logs must
    /// carry: an event dated far ahead of it does not make its author look active.
    #[test]
    fn an_event_dated_ahead_of_its_receipt_counts_for_nothing() {
        let bundle = bundle();
        let receipt = |mut event: Event, seq| {
            event.received = Some(crate::events::Received {
                seq,
                at: "2026-11-20T10:00:01Z".into(),
            });
            event
        };
        let m = with_log(
            &bundle,
            member("astro", Role::Learner, None),
            vec![
                receipt(lesson_done(1, "astro", "2026-11-20T10:00:00Z"), 1),
                receipt(lesson_done(2, "astro", "9999-12-31T23:59:59Z"), 2),
            ],
        );
        assert_eq!(m.last_activity(), Some("2026-11-20T10:00:00Z"));
    }

    #[test]
    fn streak_badges_count_only_where_streaks_are_on() {
        let bundle = bundle();
        let m = with_log(
            &bundle,
            member("astro", Role::Learner, None),
            vec![lesson_done(1, "astro", "2026-11-20T10:00:00Z")],
        );
        let ids =
            |on| -> Vec<String> { m.badges(&bundle, on).iter().map(|b| b.id.clone()).collect() };
        assert_eq!(ids(true), ["primo-passo", "costanza"]);
        assert_eq!(ids(false), ["primo-passo"]);
    }
}
