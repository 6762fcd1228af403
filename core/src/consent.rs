//! Consent for a learner under 14, on the wire: before their badges leave Officina (a public
//! profile, assertions others can check), an educator of their cohort must have confirmed a parent's
//! link ("I met this parent") or recorded consent given on paper. Shared by the server and the
//! workspace, like `staff`.

use serde::{Deserialize, Serialize};

/// `GET /api/cohorts/{id}/family-links`: every link whose child is a member of the cohort, the
/// parent's cohort whichever it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyLinks {
    pub links: Vec<FamilyLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyLink {
    pub id: String,
    pub state: LinkState,
    pub created_at: String,
    /// When an educator confirmed it; absent while pending.
    pub confirmed_at: Option<String>,
    pub parent: LinkedAccount,
    pub child: LinkedAccount,
}

/// A pending link gives the parent nothing of the child's; a confirmed one is a parent's consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Pending,
    Confirmed,
}

/// One side of a link as the confirming educator sees it: enough to tell a parent from a learner's
/// second account (same cohort, made minutes apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub id: String,
    pub nickname: String,
    pub cohort_id: String,
    pub cohort_name: String,
    pub created_at: String,
}

/// `PUT /api/cohorts/{id}/members/{user_id}/consent`: consent on paper received, or taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperConsent {
    pub paper: bool,
}

/// Where a learner under 14 stands, in the roster: either kind of consent is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consent {
    /// An educator recorded consent given on paper.
    pub paper: bool,
    /// A parent's link is confirmed.
    pub family: bool,
}

impl Consent {
    pub fn given(self) -> bool {
        self.paper || self.family
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_link_reads_as_the_api_names_it() {
        let side = |id: &str| {
            json!({"id": id, "nickname": id, "cohort_id": "c", "cohort_name": "Lab",
                   "created_at": "2026-03-02T09:00:00Z"})
        };
        let wire = json!({"links": [{"id": "l1", "state": "pending",
            "created_at": "2026-03-02T10:00:00Z", "confirmed_at": null,
            "parent": side("p"), "child": side("k")}]});
        let links: FamilyLinks = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(links.links[0].state, LinkState::Pending);
        assert_eq!(links.links[0].parent.nickname, "p");
        assert_eq!(serde_json::to_value(&links).unwrap(), wire);
    }

    #[test]
    fn either_kind_of_consent_is_enough() {
        assert!(!Consent::default().given());
        assert!(
            Consent {
                paper: true,
                family: false
            }
            .given()
        );
        assert!(
            Consent {
                paper: false,
                family: true
            }
            .given()
        );
    }

    #[test]
    fn paper_consent_takes_only_its_flag() {
        assert!(
            serde_json::from_value::<PaperConsent>(json!({"paper": true}))
                .unwrap()
                .paper
        );
        assert!(serde_json::from_value::<PaperConsent>(json!({"paper": 1})).is_err());
        assert!(serde_json::from_value::<PaperConsent>(json!({"paper": true, "x": 1})).is_err());
    }
}
