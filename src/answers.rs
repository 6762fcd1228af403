//! The API's answers the learner's app reads (and its stored profiles), read by hand from a
//! `serde_json::Value`: a derived reader per type compiled its own copy of serde_json's parser
//! into the wasm (see BENCHMARKS.md).

use crate::api::{Assertion, CohortSettings, Family, MyBadges, Relative};
use officina_core::account::Role;
use serde_json::Value;

pub(crate) fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_owned)
}

fn flag(value: &Value, key: &str) -> Option<bool> {
    value.get(key)?.as_bool()
}

pub(crate) fn list<T>(value: &Value, key: &str, read: fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value.get(key)?.as_array()?.iter().map(read).collect()
}

/// `{"error": {"code", "message"}}`.
pub fn error(value: &Value) -> Option<(String, String)> {
    let error = value.get("error")?;
    Some((text(error, "code")?, text(error, "message")?))
}

pub fn roles(value: &Value) -> Option<Vec<Role>> {
    list(value, "roles", |role| Role::named(role.as_str()?))
}

pub fn family(value: &Value) -> Option<Family> {
    Some(Family {
        parents: list(value, "parents", relative)?,
        children: list(value, "children", relative)?,
    })
}

fn relative(value: &Value) -> Option<Relative> {
    Some(Relative {
        id: text(value, "id")?,
        nickname: text(value, "nickname")?,
        confirmed: text(value, "state")? == "confirmed",
    })
}

pub fn code(value: &Value) -> Option<String> {
    text(value, "code")
}

pub fn badges(value: &Value) -> Option<MyBadges> {
    Some(MyBadges {
        consent_needed: flag(value, "consent_needed")?,
        show_nickname: flag(value, "show_nickname")?,
        assertions: list(value, "assertions", assertion)?,
    })
}

fn assertion(value: &Value) -> Option<Assertion> {
    Some(Assertion {
        id: text(value, "id")?,
        badge_id: text(value, "badge_id")?,
        url: text(value, "url")?,
        revoked: flag(value, "revoked")?,
    })
}

pub fn cohort(value: &Value) -> Option<CohortSettings> {
    Some(CohortSettings {
        path_id: text(value, "path_id")?,
        xp_and_streaks: flag(value, "xp_and_streaks")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use officina_core::Lang;
    use serde_json::json;

    #[test]
    fn a_family_reads_each_links_state() {
        let wire = json!({"parents": [{"id": "p", "nickname": "Mamma", "state": "pending"}],
                          "children": [{"id": "k", "nickname": "Luna", "state": "confirmed"}]});
        let read = family(&wire).unwrap();
        assert!(!read.parents[0].confirmed);
        assert!(read.children[0].confirmed);
        assert_eq!(
            read.parents[0].label(Lang::It),
            "Mamma (in attesa di conferma)"
        );
        assert_eq!(read.children[0].label(Lang::En), "Luna");
        let stateless = json!({"parents": [{"id": "p", "nickname": "M"}], "children": []});
        assert!(
            family(&stateless).is_none(),
            "a link whose state is unknown is not taken as confirmed"
        );
    }
}
