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
use officina_core::challenge;
use officina_core::payload::Verdict;
use officina_core::staff::{Review, Submission, SubmissionPhoto};
use officina_core::{Bundle, Event, EventLog};
use std::collections::{BTreeMap, HashSet};

pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Submission>>, ApiError> {
    let cohort = run_by(&state, &caller, &id).await?;
    let events = reports::challenge_events(&state.db, &cohort.id).await?;
    let arrived = photos::finished_in_cohort(&state.db, &cohort.id).await?;
    Ok(Json(latest(events, &state.content.bundle, &arrived)))
}

/// Each learner's challenge as core's one rule reads it (its latest version, and the latest
/// review if it answers that version, in the server's order). Pending first, longest waiting
/// first; then the reviewed, most recent first.
fn latest(
    rows: Vec<ChallengeEvent>,
    bundle: &Bundle,
    arrived: &HashSet<String>,
) -> Vec<Submission> {
    let mut challenges: BTreeMap<(String, String), (String, EventLog)> = BTreeMap::new();
    for row in rows {
        let key = (row.learner_id.clone(), row.activity_id.clone());
        let (nickname, log) = challenges.entry(key).or_default();
        nickname.clone_from(&row.nickname);
        if let Some(event) = row.into_event() {
            log.insert(event);
        }
    }
    let mut queue: Vec<((bool, i64), Submission)> = challenges
        .into_iter()
        .filter_map(|((learner_id, activity_id), (nickname, log))| {
            let standing = challenge::standing(&log, bundle, &activity_id);
            let (event, submission) = standing.submission?;
            let review = standing
                .review
                .filter(|_| standing.state != challenge::State::Waiting);
            let seq = |e: &Event| e.received.as_ref().map_or(0, |r| r.seq);
            let order = review
                .as_ref()
                .map_or((false, seq(event)), |(r, _)| (true, -seq(r)));
            let photos = submission
                .photos
                .into_iter()
                .map(|id| SubmissionPhoto {
                    uploaded: arrived.contains(&id),
                    id,
                })
                .collect();
            let submission = Submission {
                event_id: event.id.to_string(),
                learner_id,
                nickname,
                activity_id,
                at: event.at.clone(),
                text: submission.text,
                photos,
                review: review.map(|(event, review)| Review {
                    status: match review.verdict {
                        Verdict::Approved => "approved",
                        Verdict::ChangesRequested => "changes_requested",
                    }
                    .into(),
                    comment: review.comment,
                    at: event.at.clone(),
                }),
            };
            Some((order, submission))
        })
        .collect();
    queue.sort_by_key(|(order, _)| *order);
    queue.into_iter().map(|(_, s)| s).collect()
}
