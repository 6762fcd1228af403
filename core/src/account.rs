//! Accounts' wire types, shared by the app and the server. Minors have no email: a learner is a
//! nickname inside a cohort, reached through the cohort's join code, with a secret (PIN or passphrase).

use crate::content::read::{Fields, Read, string};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The shortest secret a learner may choose: a six-digit PIN is the floor.
pub const MIN_SECRET_CHARS: usize = 6;
/// The longest secret or password accepted, so that hashing stays cheap.
pub const MAX_SECRET_CHARS: usize = 128;
/// Nickname length, in visible characters.
pub const NICKNAME_CHARS: std::ops::RangeInclusive<usize> = 2..=24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Learner,
    Parent,
    Educator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::Parent => "parent",
            Self::Educator => "educator",
            Self::Admin => "admin",
        }
    }

    /// The role with this wire name.
    pub fn named(name: &str) -> Option<Self> {
        [Self::Learner, Self::Parent, Self::Educator, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == name)
    }

    /// Staff accounts are made by the command line and log in with name and password.
    pub fn is_staff(self) -> bool {
        matches!(self, Self::Educator | Self::Admin)
    }
}

/// A learner's age band, stated at join: no birth date is ever asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeBand {
    /// Under 14: a parent's link is the consent before badges leave Officina.
    #[serde(rename = "under_14")]
    Under14,
    #[serde(rename = "14_plus")]
    From14,
}

impl AgeBand {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Under14 => "under_14",
            Self::From14 => "14_plus",
        }
    }
}

/// `POST /api/join`: a new account in the cohort whose join code this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub code: String,
    pub nickname: String,
    pub secret: String,
    /// `parent` only in a cohort whose path is for families; `learner` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Learners only; without it a learner is taken as under 14, the careful default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
}

/// `POST /api/login` for learners and parents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub code: String,
    pub nickname: String,
    pub secret: String,
}

/// A one-time code made for someone to pass on (a family code, a recovery code) and when it stops
/// working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeCode {
    pub code: String,
    pub expires_at: String,
}

/// `POST /api/recover`: a member who forgot their PIN signs in with a recovery code from an educator
/// (or a parent) and a new PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoverRequest {
    pub code: String,
    pub nickname: String,
    pub recovery_code: String,
    /// The new secret.
    pub secret: String,
}

/// `POST /api/staff/login` for educators and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffLoginRequest {
    pub name: String,
    pub password: String,
}

/// An account as the API shows it: no hashes, nothing else about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    /// The learner's or parent's nickname; the name of an educator or admin.
    pub nickname: String,
    pub role: Role,
    /// Absent for educators and admins.
    pub cohort_id: Option<String>,
}

/// The answer to join and login: the account and its bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user: User,
    pub token: String,
}

// Only the apps read sessions (the server writes them): by hand through a `Value`, which costs
// their wasm less than derived readers (see `content::read`).
impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, read_session)
    }
}

impl<'de> Deserialize<'de> for User {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, read_user)
    }
}

fn read_session(value: Value) -> Read<Session> {
    let mut f = Fields::of(value);
    let session = Session {
        user: f.required("user", read_user).unwrap_or_else(|| User {
            id: String::new(),
            nickname: String::new(),
            role: Role::Learner,
            cohort_id: None,
        }),
        token: f.string("token"),
    };
    f.done(session)
}

fn read_user(value: Value) -> Read<User> {
    let mut f = Fields::of(value);
    let role = f.name("role");
    let user = User {
        id: f.string("id"),
        nickname: f.string("nickname"),
        role: Role::named(&role).unwrap_or_else(|| {
            f.unknown(&role);
            Role::Learner
        }),
        cohort_id: f.optional("cohort_id", string),
    };
    f.done(user)
}

/// Why a nickname is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NicknameError {
    #[error("deve avere da 2 a 24 caratteri")]
    Length,
    #[error("contiene caratteri di controllo o invisibili")]
    Invisible,
    #[error("tra le parole si può usare solo lo spazio normale")]
    Spacing,
    #[error("deve contenere almeno una lettera o una cifra")]
    NoLetterOrDigit,
}

/// The nickname as stored: trimmed, 2–24 characters, none of them control or invisible, no space
/// but U+0020, at least one letter or digit. Only the standard library's tables, so the app may use
/// it; the server adds Unicode normalisation and the full invisible set before this.
pub fn normalize_nickname(raw: &str) -> Result<String, NicknameError> {
    let nickname = raw.trim();
    if nickname.chars().any(is_invisible) {
        return Err(NicknameError::Invisible);
    }
    if nickname.chars().any(|c| c.is_whitespace() && c != ' ') {
        return Err(NicknameError::Spacing);
    }
    if !NICKNAME_CHARS.contains(&nickname.chars().count()) {
        return Err(NicknameError::Length);
    }
    if !nickname.chars().any(char::is_alphanumeric) {
        return Err(NicknameError::NoLetterOrDigit);
    }
    Ok(nickname.to_owned())
}

/// Control characters, and the format characters that render as nothing (zero-width, bidi marks),
/// which would let two nicknames look the same.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Whether a secret's length is acceptable (counted in characters, so a passphrase may be in any script).
pub fn secret_length_ok(secret: &str) -> bool {
    (MIN_SECRET_CHARS..=MAX_SECRET_CHARS).contains(&secret.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_are_trimmed_and_checked() {
        assert_eq!(normalize_nickname("  Astro ").as_deref(), Ok("Astro"));
        assert_eq!(normalize_nickname("Lùcia★"), Ok("Lùcia★".to_owned()));
        assert_eq!(normalize_nickname("A"), Err(NicknameError::Length));
        assert_eq!(
            normalize_nickname(&"x".repeat(25)),
            Err(NicknameError::Length)
        );
        assert_eq!(
            normalize_nickname(&"è".repeat(24)).map(|n| n.chars().count()),
            Ok(24)
        );
        assert_eq!(
            normalize_nickname("ab\u{7}c"),
            Err(NicknameError::Invisible)
        );
        assert_eq!(
            normalize_nickname("a\u{200B}b"),
            Err(NicknameError::Invisible)
        );
        assert_eq!(normalize_nickname("a\nb"), Err(NicknameError::Invisible));
        assert_eq!(
            normalize_nickname("As\u{2028}tro"),
            Err(NicknameError::Spacing)
        );
        assert_eq!(
            normalize_nickname("Lu\u{00A0}na"),
            Err(NicknameError::Spacing)
        );
        assert_eq!(
            normalize_nickname("\u{2800}\u{2800}"),
            Err(NicknameError::NoLetterOrDigit)
        );
        assert_eq!(
            normalize_nickname("?!-_"),
            Err(NicknameError::NoLetterOrDigit)
        );
        assert_eq!(
            normalize_nickname("Anna Maria").as_deref(),
            Ok("Anna Maria")
        );
        assert_eq!(normalize_nickname("R2").as_deref(), Ok("R2"));
    }

    #[test]
    fn secrets_need_six_characters() {
        assert!(!secret_length_ok("12345"));
        assert!(secret_length_ok("123456"));
        assert!(!secret_length_ok(&"x".repeat(MAX_SECRET_CHARS + 1)));
    }

    #[test]
    fn wire_shapes_match_the_api() {
        let join: JoinRequest =
            serde_json::from_str(r#"{"code":"ABCD2345","nickname":"Astro","secret":"123456"}"#)
                .unwrap();
        assert_eq!(join.role, None);
        assert_eq!(join.age_band, None);
        let join: JoinRequest = serde_json::from_str(
            r#"{"code":"c","nickname":"n","secret":"s","age_band":"14_plus"}"#,
        )
        .unwrap();
        assert_eq!(join.age_band, Some(AgeBand::From14));
        let join: JoinRequest =
            serde_json::from_str(r#"{"code":"c","nickname":"n","secret":"s","role":"parent"}"#)
                .unwrap();
        assert_eq!(join.role, Some(Role::Parent));
        let session = Session {
            user: User {
                id: "u1".into(),
                nickname: "Astro".into(),
                role: Role::Learner,
                cohort_id: Some("c1".into()),
            },
            token: "t".into(),
        };
        let json = serde_json::to_value(&session).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"user":{"id":"u1","nickname":"Astro","role":"learner","cohort_id":"c1"},"token":"t"})
        );
        assert_eq!(serde_json::from_value::<Session>(json).unwrap(), session);
        for role in [Role::Parent, Role::Educator, Role::Admin] {
            let user = User {
                role,
                cohort_id: None,
                ..session.user.clone()
            };
            let json = serde_json::to_string(&user).unwrap();
            assert_eq!(serde_json::from_str::<User>(&json).unwrap(), user);
        }
        let stranger = serde_json::json!({"id": "u", "nickname": "n", "role": "alieno"});
        assert!(serde_json::from_value::<User>(stranger).is_err());
    }
}
