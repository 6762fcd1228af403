//! The educator workspace's wire types (docs/api.md), shared by the server, which answers with
//! them, and the workspace, which reads them: one definition, so the two cannot drift apart.

use crate::account::{AgeBand, Role};
use crate::consent::Consent;
use serde::{Deserialize, Serialize};

/// `GET /api/cohorts`: a cohort at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    pub id: String,
    pub name: String,
    pub path_id: String,
    /// Who the cohort is for, in the educator's words; empty when made by the command line.
    #[serde(default)]
    pub audience: String,
    /// `YYYY-MM-DD`; absent for cohorts made by the command line.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Whether the join code admits newcomers; members log in with it either way.
    pub join_open: bool,
    /// The start-ups an IN-Community cohort follows.
    pub startups: Option<u32>,
    pub learners: u32,
    pub parents: u32,
}

/// A cohort's settings: shown on its page, changed with `PUT /api/cohorts/{id}/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortSettings {
    /// Points and weekly streaks (and the badges that count streaks) are shown and awarded.
    pub xp_and_streaks: bool,
}

/// `GET /api/cohorts/{id}`: everything its educators need to run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortDetail {
    #[serde(flatten)]
    pub summary: CohortSummary,
    #[serde(flatten)]
    pub settings: CohortSettings,
    pub join_code: String,
    /// The names of the active educators who run it (admins run every cohort without being listed).
    pub educators: Vec<String>,
    pub roster: Vec<RosterMember>,
}

/// A learner or parent of a cohort, as its educators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterMember {
    pub id: String,
    pub nickname: String,
    pub role: Role,
    /// Learners only.
    pub age_band: Option<AgeBand>,
    pub joined_at: String,
    /// The last push or pull; never synced yet when absent.
    pub last_synced_at: Option<String>,
    /// Learners under 14 only: the consent their badges need to leave Officina.
    pub consent: Option<Consent>,
}

/// `PUT /api/cohorts/{id}/members/{user_id}/role`: the role a member should have had from the
/// start, `learner` or `parent` (a parent only in a family cohort), and a learner's age band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    pub role: Role,
    /// Learners only; a learner without it keeps theirs, or is taken as under 14.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
}

/// `POST /api/cohorts`: a new cohort, as the educator states it (the server checks it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortRequest {
    pub name: String,
    pub path_id: String,
    pub audience: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    /// For a start-ups path only. Signed, so that a negative number gets the server's message
    /// rather than a JSON error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startups: Option<i64>,
}

/// `PUT /api/cohorts/{id}/educators`: the names of the educators who run the cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EducatorNames {
    pub names: Vec<String>,
}

/// `GET /api/educators`: an educator or admin, as the admins manage them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// The ids of the cohorts they are linked to.
    pub cohorts: Vec<String>,
}

/// `POST /api/educators`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEducator {
    pub name: String,
    pub password: String,
}

/// `PUT /api/educators/{id}/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// `GET /api/cohorts/{id}/reviews`: a learner's latest submission of a challenge, and its review
/// if one came after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub event_id: String,
    pub learner_id: String,
    pub nickname: String,
    pub activity_id: String,
    pub at: String,
    pub text: String,
    pub photos: Vec<SubmissionPhoto>,
    pub review: Option<Review>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPhoto {
    pub id: String,
    /// Whether the photo's bytes have reached the server (the device may still be sending them).
    pub uploaded: bool,
}

/// An educator's verdict on a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn summary() -> CohortSummary {
        CohortSummary {
            id: "c1".into(),
            name: "Lab".into(),
            path_id: "demo".into(),
            audience: "2ª B".into(),
            starts_on: Some("2026-03-02".into()),
            ends_on: None,
            join_open: true,
            startups: None,
            learners: 1,
            parents: 0,
        }
    }

    #[test]
    fn a_cohort_detail_is_flat_on_the_wire() {
        let detail = CohortDetail {
            summary: summary(),
            settings: CohortSettings {
                xp_and_streaks: false,
            },
            join_code: "ABCD2345".into(),
            educators: vec!["Maria".into()],
            roster: vec![RosterMember {
                id: "u1".into(),
                nickname: "Astro".into(),
                role: Role::Learner,
                age_band: Some(AgeBand::Under14),
                joined_at: "2026-03-02T09:00:00Z".into(),
                last_synced_at: None,
                consent: Some(Consent {
                    paper: true,
                    family: false,
                }),
            }],
        };
        let wire = json!({
            "id": "c1", "name": "Lab", "path_id": "demo", "audience": "2ª B",
            "starts_on": "2026-03-02", "ends_on": null, "join_open": true, "startups": null,
            "learners": 1, "parents": 0, "xp_and_streaks": false, "join_code": "ABCD2345",
            "educators": ["Maria"],
            "roster": [{"id": "u1", "nickname": "Astro", "role": "learner", "age_band": "under_14",
                        "joined_at": "2026-03-02T09:00:00Z", "last_synced_at": null,
                        "consent": {"paper": true, "family": false}}],
        });
        assert_eq!(serde_json::to_value(&detail).unwrap(), wire);
        assert_eq!(
            serde_json::from_value::<CohortDetail>(wire).unwrap(),
            detail
        );
    }

    #[test]
    fn requests_refuse_unknown_fields() {
        let settings = serde_json::from_value::<CohortSettings>(json!({"xp_and_streaks": true}));
        assert!(settings.unwrap().xp_and_streaks);
        let extra = json!({"xp_and_streaks": true, "points": 1});
        assert!(serde_json::from_value::<CohortSettings>(extra).is_err());
        assert!(serde_json::from_value::<NewPassword>(json!({"password": "x", "n": 1})).is_err());
    }

    #[test]
    fn a_review_without_comment_leaves_it_out() {
        let review = Review {
            status: "approved".into(),
            comment: None,
            at: "2026-03-02T09:00:00Z".into(),
        };
        let wire = json!({"status": "approved", "at": "2026-03-02T09:00:00Z"});
        assert_eq!(serde_json::to_value(&review).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Review>(wire).unwrap(), review);
    }

    #[test]
    fn a_cohort_request_leaves_out_absent_startups() {
        let request = CohortRequest {
            name: "Lab".into(),
            path_id: "demo".into(),
            audience: "2ª B".into(),
            starts_on: "2026-03-02".into(),
            ends_on: "2026-06-02".into(),
            startups: None,
        };
        let wire = serde_json::to_value(&request).unwrap();
        assert!(wire.get("startups").is_none(), "{wire}");
        assert_eq!(
            serde_json::from_value::<CohortRequest>(wire).unwrap(),
            request
        );
    }
}
