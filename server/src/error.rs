//! API errors: `{"error":{"code":"snake_case","message":"…"}}` with the right status.
//! Messages are in Italian, for the people who see them; codes are for programs.

use crate::admin::{AdminError, Refusal};
use crate::auth::passwords::PasswordError;
use crate::auth::rate_limit::Locked;
use crate::cohort_details::CohortError;
use crate::gate::{self, Busy};
use crate::openbadges::baking::BakeError;
use crate::photos::reencode::{MAX_MEGAPIXELS_IN, MAX_SIDE_IN, ReencodeError};
use crate::photos::{MAX_CHUNK_BYTES, MAX_PHOTOS_PER_ACCOUNT};
use crate::store::cohorts::CodeError;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use officina_core::account::NicknameError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Risorsa non trovata.")]
    NotFound,
    #[error("Richiesta non valida: {0}")]
    BadRequest(String),
    #[error("Soprannome non valido: {0}.")]
    InvalidNickname(#[from] NicknameError),
    #[error("Il segreto deve avere almeno 6 caratteri (al massimo 128).")]
    InvalidSecret,
    #[error("Codice di recupero sbagliato, già usato o scaduto: chiedine uno nuovo all'educatore.")]
    BadRecoveryCode,
    #[error(
        "Chi ha meno di 14 anni chiede al genitore collegato (o all'educatore) di cancellare l'account."
    )]
    AskAParent,
    #[error("Chi ha 14 anni o più decide da sé se cancellare il proprio account.")]
    OwnDecision,
    #[error("Questo codice non corrisponde a nessun gruppo.")]
    UnknownCode,
    #[error("Questo gruppo non accetta questo ruolo.")]
    RoleNotAllowed,
    #[error(
        "Questo ruolo non si può più cambiare: la persona ha già compiti in famiglia confermati, collegamenti o codici famiglia, o badge rilasciati."
    )]
    RoleInUse,
    #[error(
        "Questo soprannome è già usato nel gruppo, o somiglia troppo a uno usato: scegline un altro."
    )]
    NicknameTaken,
    #[error("Nome o segreto sbagliati.")]
    BadCredentials,
    #[error("Troppi tentativi sbagliati: riprova più tardi.")]
    TooManyAttempts(#[from] Locked),
    #[error("Questo badge è stato revocato.")]
    Revoked,
    #[error(
        "Per scaricare questo badge serve il consenso di un genitore, confermato da un educatore (hai meno di 14 anni)."
    )]
    ConsentNeeded,
    #[error("Questo badge non ha un'immagine SVG da scaricare.")]
    NotSvg,
    #[error("Serve l'accesso: entra di nuovo.")]
    Unauthorized,
    #[error("Questo codice famiglia non esiste: controlla di averlo scritto bene.")]
    UnknownFamilyCode,
    #[error("Questo codice famiglia è già stato usato: chiedine uno nuovo.")]
    FamilyCodeUsed,
    #[error("Questo codice famiglia è scaduto (vale 24 ore): chiedine uno nuovo.")]
    FamilyCodeExpired,
    #[error(
        "Il codice va usato dall'altra persona: un genitore collega un ragazzo o una ragazza, e viceversa."
    )]
    WrongFamilyRole,
    #[error("Siete già collegati.")]
    AlreadyLinked,
    #[error("Questo ragazzo o ragazza ha già due genitori collegati.")]
    TooManyParents,
    #[error("Questo gruppo non accetta nuove iscrizioni: chiedi all'educatore un codice nuovo.")]
    JoinClosed,
    #[error("Questo account è disattivato: per rientrare rivolgiti a chi amministra Officina.")]
    Disabled,
    #[error("Non fai più parte di questo gruppo: per rientrare rivolgiti all'educatore.")]
    Removed,
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("La richiesta è troppo grande: {0}")]
    TooLarge(String),
    #[error("Il file non è un'immagine JPEG, PNG o WebP.")]
    NotAnImage,
    #[error(
        "La foto è troppo grande: al massimo {MAX_MEGAPIXELS_IN} megapixel e {MAX_SIDE_IN} pixel per lato. Riducila e riprova."
    )]
    ImageTooLarge,
    #[error("Il server è molto occupato in questo momento: riprova tra qualche secondo.")]
    Busy(#[from] Busy),
    #[error("Il caricamento della foto riprende dal byte {received}.")]
    WrongOffset { received: u64 },
    #[error("Questa foto si sta già caricando: riprova tra poco.")]
    UploadBusy,
    #[error("Questo identificativo di foto è già usato: creane uno nuovo.")]
    PhotoIdTaken,
    #[error("Hai già {MAX_PHOTOS_PER_ACCOUNT} foto, il massimo per un account.")]
    TooManyPhotos,
    #[error("Errore interno del server. Riprova più tardi.")]
    Database(#[from] sqlx::Error),
    #[error("Errore interno del server. Riprova più tardi.")]
    Password(#[from] PasswordError),
    #[error("Errore interno del server. Riprova più tardi.")]
    Random(#[from] getrandom::Error),
    #[error("Errore interno del server. Riprova più tardi.")]
    Png(#[from] png::EncodingError),
    #[error("Errore interno del server. Riprova più tardi.")]
    Qr(#[from] qrcode::types::QrError),
    /// A fault of the server outside the database (files, background tasks), with its cause.
    #[error("Errore interno del server. Riprova più tardi.")]
    Internal(String),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::InvalidNickname(_) => (StatusCode::BAD_REQUEST, "invalid_nickname"),
            Self::InvalidSecret => (StatusCode::BAD_REQUEST, "invalid_secret"),
            Self::BadRecoveryCode => (StatusCode::UNAUTHORIZED, "bad_recovery_code"),
            Self::AskAParent => (StatusCode::FORBIDDEN, "ask_a_parent"),
            Self::OwnDecision => (StatusCode::FORBIDDEN, "own_decision"),
            Self::UnknownCode => (StatusCode::NOT_FOUND, "unknown_code"),
            Self::RoleNotAllowed => (StatusCode::FORBIDDEN, "role_not_allowed"),
            Self::RoleInUse => (StatusCode::CONFLICT, "role_in_use"),
            Self::NicknameTaken => (StatusCode::CONFLICT, "nickname_taken"),
            Self::UnknownFamilyCode => (StatusCode::NOT_FOUND, "unknown_code"),
            Self::FamilyCodeUsed => (StatusCode::CONFLICT, "code_used"),
            Self::FamilyCodeExpired => (StatusCode::GONE, "code_expired"),
            Self::WrongFamilyRole => (StatusCode::BAD_REQUEST, "wrong_role"),
            Self::AlreadyLinked => (StatusCode::CONFLICT, "already_linked"),
            Self::TooManyParents => (StatusCode::CONFLICT, "too_many_parents"),
            Self::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            Self::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Revoked => (StatusCode::GONE, "revoked"),
            Self::ConsentNeeded => (StatusCode::FORBIDDEN, "consent_needed"),
            Self::NotSvg => (StatusCode::NOT_FOUND, "no_svg_image"),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::JoinClosed => (StatusCode::FORBIDDEN, "join_closed"),
            Self::Disabled => (StatusCode::FORBIDDEN, "account_disabled"),
            Self::Removed => (StatusCode::FORBIDDEN, "removed"),
            Self::Refused(refusal) => match refusal {
                Refusal::Name(_) => (StatusCode::BAD_REQUEST, "invalid_name"),
                Refusal::Password => (StatusCode::BAD_REQUEST, "invalid_password"),
                Refusal::NameTaken(_) => (StatusCode::CONFLICT, "name_taken"),
                Refusal::UnknownEducator(_) => (StatusCode::BAD_REQUEST, "unknown_educator"),
                Refusal::Cohort(_) => (StatusCode::BAD_REQUEST, "invalid_cohort"),
            },
            Self::NotAnImage => (StatusCode::BAD_REQUEST, "not_an_image"),
            Self::ImageTooLarge => (StatusCode::UNPROCESSABLE_ENTITY, "image_too_large"),
            Self::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::WrongOffset { .. } => (StatusCode::CONFLICT, "wrong_offset"),
            Self::UploadBusy => (StatusCode::CONFLICT, "upload_busy"),
            Self::PhotoIdTaken => (StatusCode::CONFLICT, "id_taken"),
            Self::TooManyPhotos => (StatusCode::FORBIDDEN, "too_many_photos"),
            Self::Database(_)
            | Self::Password(_)
            | Self::Random(_)
            | Self::Png(_)
            | Self::Qr(_)
            | Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// The cause of a 500, for the log (the client sees only the generic message).
    fn internal_cause(&self) -> Option<String> {
        match self {
            Self::Database(err) => Some(err.to_string()),
            Self::Password(err) => Some(err.to_string()),
            Self::Random(err) => Some(err.to_string()),
            Self::Png(err) => Some(err.to_string()),
            Self::Qr(err) => Some(err.to_string()),
            Self::Internal(cause) => Some(cause.clone()),
            _ => None,
        }
    }
}

impl From<BakeError> for ApiError {
    fn from(err: BakeError) -> Self {
        match err {
            BakeError::NotSvg => Self::NotSvg,
            BakeError::Png(err) => Self::Png(err),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(err: AdminError) -> Self {
        match err {
            AdminError::Refused(refusal) => Self::Refused(refusal),
            AdminError::Db(err) => Self::Database(err),
            AdminError::Hash(err) => Self::Password(err),
            AdminError::Busy(busy) => Self::Busy(busy),
            AdminError::Code(err) => err.into(),
        }
    }
}

impl From<ReencodeError> for ApiError {
    fn from(err: ReencodeError) -> Self {
        match err {
            ReencodeError::NotAnImage(_) => Self::NotAnImage,
            ReencodeError::TooBig => Self::ImageTooLarge,
            ReencodeError::Encode(err) => Self::Internal(err.to_string()),
        }
    }
}

impl From<CodeError> for ApiError {
    fn from(err: CodeError) -> Self {
        match err {
            CodeError::Random(err) => Self::Random(err),
            CodeError::Db(err) => Self::Database(err),
        }
    }
}

impl From<CohortError> for ApiError {
    fn from(err: CohortError) -> Self {
        Self::Refused(err.into())
    }
}

impl From<crate::store::writer::WriteError> for ApiError {
    fn from(err: crate::store::writer::WriteError) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<std::io::Error> for ApiError {
    fn from(err: std::io::Error) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::Internal(format!("{err:#}"))
    }
}

impl From<gate::Failed> for ApiError {
    fn from(err: gate::Failed) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge(format!(
                "un pezzo di foto pesa al massimo {} KiB.",
                MAX_CHUNK_BYTES / 1024
            ))
        } else {
            Self::BadRequest(rejection.body_text())
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge("al massimo 1 MiB.".into())
        } else {
            Self::BadRequest(rejection.body_text())
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = self.internal_cause() {
            tracing::error!(error = %cause, "internal error");
        }
        let (status, code) = self.status_and_code();
        let mut body = json!({"error": {"code": code, "message": self.to_string()}});
        if let Self::WrongOffset { received } = &self {
            // Where the device resumes its upload.
            body["received"] = (*received).into();
            body["done"] = false.into();
        }
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match &self {
            Self::Unauthorized | Self::BadCredentials => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Self::TooManyAttempts(locked) => {
                // Whole seconds, rounded up, so a client that waits exactly that long gets through.
                let seconds =
                    locked.retry_after.as_secs() + u64::from(locked.retry_after.subsec_nanos() > 0);
                headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            }
            Self::Busy(_) => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(gate::RETRY_AFTER_SECS),
                );
            }
            _ => {}
        }
        response
    }
}
