//! The digital-skills self-assessment: a person's answers to the programme's questionnaire at the
//! start (`before`) and at the end (`after`) of a path, recorded as a `self_assessed` event. The
//! programme's impact report compares the two.

use crate::content::{Bundle, Path};
use crate::events::{Event, EventKind, EventLog};
use crate::payload::{Answers, Moment, Payload};
use crate::progress::Progress;
use crate::rules::judge;
use uuid::Uuid;

impl Answers {
    /// The event recording these answers; whoever records it sets its owner.
    pub fn event(&self, id: Uuid, at: String) -> Event {
        Event::new(id, None, at, &Payload::SelfAssessed(self.clone()))
    }

    /// The answers a log's event gives, if it is a self-assessment the programme accepts.
    pub fn of(event: &Event, bundle: &Bundle) -> Option<Self> {
        match judge(event, bundle) {
            Ok(Payload::SelfAssessed(answers)) => Some(answers),
            _ => None,
        }
    }
}

/// Whether the person whose log this is answered the questionnaire at `moment` of `path_id`.
/// Only self-assessments are judged: the rest of the log is passed over by kind.
pub fn answered(log: &EventLog, bundle: &Bundle, path_id: &str, moment: Moment) -> bool {
    log.iter()
        .filter(|event| event.kind == EventKind::SelfAssessed)
        .filter_map(|event| Answers::of(event, bundle))
        .any(|answers| answers.path_id == path_id && answers.moment == moment)
}

/// The questionnaire a path's page asks now: "before" until it is answered, "after" once every
/// activity of the path is done (even if "before" was missed), and none once that is answered.
pub fn due(bundle: &Bundle, path: &Path, log: &EventLog, progress: &Progress) -> Option<Moment> {
    if bundle.self_assessment.statements.is_empty() {
        return None;
    }
    let complete = path.activities().all(|a| progress.is_done(&a.id));
    let moment = if complete {
        Moment::After
    } else {
        Moment::Before
    };
    (!answered(log, bundle, &path.id, moment)).then_some(moment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SelfAssessment;
    use crate::content::tests::sample_bundle;
    use crate::rules;
    use crate::testing::finishing;
    use serde_json::{Value, json};

    const AT: &str = "2026-11-25T10:00:00Z";

    fn answers(moment: Moment, given: &[u8]) -> Answers {
        Answers {
            path_id: "space-camp".into(),
            moment,
            answers: given.to_vec(),
        }
    }

    /// Whether the answers fit the questionnaire, as the rules judge their event.
    fn fits(answers: &Answers, bundle: &Bundle) -> Result<(), rules::Rejection> {
        rules::judge(&answers.event(Uuid::from_u128(9), AT.into()), bundle).map(drop)
    }

    fn with_data(data: Value) -> Event {
        Event::with_data(
            Uuid::from_u128(1),
            EventKind::SelfAssessed,
            None,
            AT.into(),
            data,
        )
    }

    #[test]
    fn the_event_has_the_wire_shape_and_reads_back() {
        let bundle = sample_bundle();
        let mine = answers(Moment::After, &[1, 4]);
        let event = mine.event(Uuid::from_u128(1), AT.into());
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], "self_assessed");
        assert!(json.get("activity_id").is_none());
        assert_eq!(
            json["data"],
            json!({"path_id": "space-camp", "moment": "after", "answers": [1, 4]})
        );
        assert_eq!(Answers::of(&event, &bundle), Some(mine));
        for moment in [Moment::Before, Moment::After] {
            assert_eq!(serde_json::to_value(moment).unwrap(), moment.as_str());
        }
    }

    #[test]
    fn answers_that_do_not_fit_the_questionnaire_are_invalid() {
        let bundle = sample_bundle();
        for given in [&[][..], &[2], &[2, 3, 4], &[0, 2], &[2, 5]] {
            let mine = answers(Moment::Before, given);
            assert_eq!(
                fits(&mine, &bundle),
                Err(rules::Rejection::InvalidSelfAssessment),
                "{given:?}"
            );
            let event = mine.event(Uuid::from_u128(1), AT.into());
            assert_eq!(Answers::of(&event, &bundle), None, "{given:?}");
        }
    }

    /// Not the fields a self-assessment has: the event's `data` is refused as a whole
    /// (`invalid_data`, no longer `invalid_self_assessment`, which is for answers that do not fit
    /// the questionnaire), and the event gives no answers.
    #[test]
    fn any_other_shape_is_invalid() {
        let bundle = sample_bundle();
        let refused = |event: &Event| {
            assert_eq!(Answers::of(event, &bundle), None, "{event:?}");
            assert_eq!(
                rules::judge(event, &bundle),
                Err(rules::Rejection::InvalidData),
                "{event:?}"
            );
        };
        for data in [
            json!({"path_id": "space-camp", "moment": "before", "answers": [1, 2], "note": "x"}),
            json!({"path_id": "space-camp", "answers": [1, 2]}),
            json!({"path_id": "space-camp", "moment": "durante", "answers": [1, 2]}),
            json!({"path_id": "space-camp", "moment": "before", "answers": [1, 2.5]}),
            json!({"path_id": "space-camp", "moment": "before", "answers": [1, -2]}),
            json!({"path_id": "space-camp", "moment": "before", "answers": "1,2"}),
            json!({"path_id": 7, "moment": "before", "answers": [1, 2]}),
            json!([1, 2]),
            Value::Null,
        ] {
            refused(&with_data(data));
        }
        let valid = json!({"path_id": "space-camp", "moment": "before", "answers": [1, 2]});
        let mut with_activity = with_data(valid.clone());
        with_activity.activity_id = Some("orbite-intro".into());
        refused(&with_activity);
        let other_kind = Event::with_data(
            Uuid::from_u128(1),
            EventKind::ActivityCompleted,
            None,
            AT.into(),
            valid,
        );
        refused(&other_kind);
    }

    #[test]
    fn an_unknown_path_has_its_own_reason() {
        let bundle = sample_bundle();
        let mut stranger = answers(Moment::Before, &[1, 2]);
        stranger.path_id = "marte".into();
        assert_eq!(fits(&stranger, &bundle), Err(rules::Rejection::UnknownPath));
        let event = stranger.event(Uuid::from_u128(1), AT.into());
        assert_eq!(Answers::of(&event, &bundle), None);
        let rejection = rules::judge(&event, &bundle).unwrap_err();
        assert_eq!(rejection.code(), "unknown_path");
        let misfit = answers(Moment::Before, &[9, 9]).event(Uuid::from_u128(2), AT.into());
        let rejection = rules::judge(&misfit, &bundle).unwrap_err();
        assert_eq!(rejection.code(), "invalid_self_assessment");
    }

    #[test]
    fn without_a_questionnaire_nothing_is_valid_or_asked() {
        let mut bundle = sample_bundle();
        bundle.self_assessment = SelfAssessment::default();
        let nothing = answers(Moment::Before, &[]);
        assert_eq!(
            fits(&nothing, &bundle),
            Err(rules::Rejection::InvalidSelfAssessment)
        );
        let event = nothing.event(Uuid::from_u128(1), AT.into());
        assert_eq!(Answers::of(&event, &bundle), None);
        let log = EventLog::default();
        let due = due(&bundle, &bundle.paths[0], &log, &Progress::default());
        assert_eq!(due, None);
    }

    #[test]
    fn answered_tells_paths_and_moments_apart() {
        let bundle = sample_bundle();
        let mut log = EventLog::default();
        log.insert(answers(Moment::Before, &[1, 2]).event(Uuid::from_u128(1), AT.into()));
        assert!(answered(&log, &bundle, "space-camp", Moment::Before));
        assert!(!answered(&log, &bundle, "space-camp", Moment::After));
        assert!(!answered(&log, &bundle, "steamcamp-coding", Moment::Before));
        let completion = Event::activity_completed(Uuid::from_u128(2), "orbite-intro", AT.into());
        let mut only_activities = EventLog::default();
        only_activities.insert(completion);
        assert!(!answered(
            &only_activities,
            &bundle,
            "space-camp",
            Moment::Before
        ));
    }

    #[test]
    fn before_is_asked_until_answered_and_after_once_the_path_is_complete() {
        let bundle = sample_bundle();
        let path = &bundle.paths[0];
        let mut log = EventLog::default();
        let now = |log: &EventLog| due(&bundle, path, log, &Progress::from_log(log, &bundle));
        assert_eq!(now(&log), Some(Moment::Before));
        log.insert(answers(Moment::Before, &[2, 2]).event(Uuid::from_u128(1), AT.into()));
        assert_eq!(now(&log), None);
        log.insert(finishing(&bundle, 2, "orbite-intro", AT));
        assert_eq!(now(&log), None, "half way: nothing to ask");
        log.insert(finishing(&bundle, 3, "orbite-quiz", AT));
        assert_eq!(now(&log), Some(Moment::After));
        log.insert(answers(Moment::After, &[3, 4]).event(Uuid::from_u128(4), AT.into()));
        assert_eq!(now(&log), None);
    }

    #[test]
    fn a_path_completed_without_before_still_asks_after() {
        let bundle = sample_bundle();
        let mut log = EventLog::default();
        for (n, activity) in [(1, "orbite-intro"), (2, "orbite-quiz")] {
            log.insert(finishing(&bundle, n, activity, AT));
        }
        let progress = Progress::from_log(&log, &bundle);
        let due = due(&bundle, &bundle.paths[0], &log, &progress);
        assert_eq!(due, Some(Moment::After));
    }
}
