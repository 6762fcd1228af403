//! `GET /api/cohorts/{id}/reviews`: the educator's review queue. For each learner and challenge,
//! the latest submission with its latest review, pending ones first.

use super::reports::run_by;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::photos;
use crate::store::reports::{self, ChallengeEvent};
use axum::Json;
use axum::extract::{Path, State};
use officina_core::staff::{Review, Submission, SubmissionPhoto};
use std::collections::{BTreeMap, HashSet};

pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Submission>>, ApiError> {
    let cohort = run_by(&state, &caller, &id).await?;
    let events = reports::challenge_events(&state.db, &cohort.id).await?;
    let arrived = photos::finished_in_cohort(&state.db, &cohort.id).await?;
    Ok(Json(latest(events, &arrived)))
}

/// The latest submission of each learner's challenge, with the latest review if it came after it
/// (in the server's order: a review answers what the educator had seen; a resubmission that
/// arrives later is pending again). Pending first, longest waiting first; then the reviewed,
/// most recent first.
fn latest(events: Vec<ChallengeEvent>, arrived: &HashSet<String>) -> Vec<Submission> {
    let mut latest: BTreeMap<(String, String), [Option<ChallengeEvent>; 2]> = BTreeMap::new();
    for event in events {
        let slot = usize::from(event.kind == "challenge_reviewed");
        let key = (event.learner_id.clone(), event.activity_id.clone());
        // Events come in `seq` order: the last one of each kind is the latest.
        latest.entry(key).or_default()[slot] = Some(event);
    }
    let mut queue: Vec<((bool, i64), Submission)> = latest
        .into_values()
        .filter_map(|[submission, review]| {
            let submission = submission?;
            let review = review.filter(|r| r.seq > submission.seq);
            let order = review
                .as_ref()
                .map_or((false, submission.seq), |r| (true, -r.seq));
            Some((order, submission_of(submission, review, arrived)))
        })
        .collect();
    queue.sort_by_key(|(order, _)| *order);
    queue.into_iter().map(|(_, s)| s).collect()
}

fn submission_of(
    event: ChallengeEvent,
    review: Option<ChallengeEvent>,
    arrived: &HashSet<String>,
) -> Submission {
    let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
    let text = |data: &serde_json::Value, field: &str| {
        data.get(field).and_then(|t| t.as_str()).map(str::to_owned)
    };
    let photos = data
        .get("photos")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str())
        .map(|id| SubmissionPhoto {
            id: id.to_owned(),
            uploaded: arrived.contains(id),
        })
        .collect();
    Submission {
        text: text(&data, "text").unwrap_or_default(),
        photos,
        review: review.map(|r| {
            let verdict: serde_json::Value = serde_json::from_str(&r.data).unwrap_or_default();
            Review {
                status: text(&verdict, "status").unwrap_or_default(),
                comment: text(&verdict, "comment"),
                at: r.at,
            }
        }),
        event_id: event.id,
        learner_id: event.learner_id,
        nickname: event.nickname,
        activity_id: event.activity_id,
        at: event.at,
    }
}
