//! Officina's backend: loads and checks the programme's content, stores the event log in
//! SQLite, and serves the API and the built app.

pub mod admin;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod cohort_details;
pub mod connections;
pub mod content;
pub mod data_rights;
pub mod db;
pub mod erasure;
pub mod error;
pub mod export;
pub mod gate;
pub mod migrate_to;
pub mod nicknames;
pub mod openbadges;
pub mod photos;
pub mod precompress;
pub mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod web;
