//! The JSON API under `/api`.

mod account;
mod badges;
mod cohorts;
mod consent;
mod content;
mod dashboard;
mod educators;
mod family;
mod health;
mod impact;
mod members;
mod my_data;
pub mod ob;
mod photos;
mod progress;
mod recovery;
mod reports;
mod reviews;
mod sync;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest};
use axum::routing::{delete, get, post, put};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/content", get(content::bundle))
        .route("/join", post(account::join))
        .route("/join/roles", post(account::join_roles))
        .route("/login", post(account::login))
        .route("/recover", post(recovery::recover))
        .route("/staff/login", post(account::staff_login))
        .route("/logout", post(account::logout))
        .route("/logout/all", post(account::logout_all))
        .route("/me", get(account::me).delete(my_data::erase_mine))
        .route("/me/export", get(my_data::export_mine))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/progress", get(progress::progress))
        .route("/cohort", get(cohorts::mine))
        .route("/cohorts", get(cohorts::list).post(cohorts::create))
        .route("/cohorts/{id}", get(cohorts::show))
        .route("/cohorts/{id}/settings", put(cohorts::set_settings))
        .route(
            "/cohorts/{id}/code",
            post(cohorts::rotate_code)
                .delete(cohorts::close_code)
                .put(cohorts::reopen_code),
        )
        .route("/cohorts/{id}/qr.svg", get(cohorts::qr_svg))
        .route("/cohorts/{id}/educators", put(cohorts::set_educators))
        .route(
            "/cohorts/{id}/members/{user_id}/role",
            put(members::set_role),
        )
        .route("/cohorts/{id}/members/{user_id}", delete(members::remove))
        .route(
            "/cohorts/{id}/members/{user_id}/consent",
            put(consent::set_paper),
        )
        .route(
            "/cohorts/{id}/members/{user_id}/recovery",
            post(recovery::for_member),
        )
        .route("/cohorts/{id}/family-links", get(consent::links))
        .route(
            "/cohorts/{id}/family-links/{link_id}",
            delete(consent::remove),
        )
        .route(
            "/cohorts/{id}/family-links/{link_id}/confirm",
            post(consent::confirm),
        )
        .route("/educators", get(educators::list).post(educators::create))
        .route("/educators/{id}", delete(educators::disable))
        .route("/educators/{id}/password", put(educators::set_password))
        .route("/cohorts/{id}/reviews", get(reviews::queue))
        .route("/cohorts/{id}/dashboard", get(dashboard::show))
        .route("/cohorts/{id}/dashboard.csv", get(dashboard::download))
        .route("/cohorts/{id}/impact", get(impact::cohort))
        .route("/cohorts/{id}/impact.csv", get(impact::cohort_csv))
        .route("/impact", get(impact::programme))
        .route("/impact.csv", get(impact::programme_csv))
        .route("/family", get(family::show))
        .route("/family/code", post(family::create_code))
        .route("/family/link", post(family::link))
        .route("/family/links/{user_id}", delete(family::unlink))
        .route("/family/{child_id}/badges", get(badges::of_child))
        .route("/family/{child_id}/recovery", post(recovery::for_child))
        .route("/family/{child_id}/export", get(my_data::export_child))
        .route("/family/{child_id}", delete(my_data::erase_child))
        .route("/badges", get(badges::list))
        .route("/badges/profile", put(badges::set_profile))
        .route("/badges/{id}/baked.svg", get(badges::baked_svg))
        .route("/badges/{id}/baked.png", get(badges::baked_png))
        .route("/badges/{id}/revoke", post(badges::revoke))
        .route(
            "/photos/{id}/upload",
            get(photos::upload_status).merge(
                put(photos::upload_chunk)
                    .layer(DefaultBodyLimit::max(crate::photos::MAX_CHUNK_BYTES)),
            ),
        )
        .route("/photos/{id}", get(photos::photo))
        .fallback(|| async { ApiError::NotFound })
}

/// `Json`, with rejections turned into the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(T);
