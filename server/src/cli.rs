//! The command line: `serve` and the admin commands.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "officina-server", version, about = "Officina: server e strumenti di amministrazione")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the built app.
    Serve(ServeArgs),
    /// Work on the programme's content.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Compress the built app and print what each file costs to send (raw, gzip, brotli).
    AppSize {
        #[arg(long, env = "OFFICINA_DIST", default_value = "dist")]
        dist: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Check the content folder and report every problem with file and line.
    Check {
        #[arg(default_value = "content")]
        dir: PathBuf,
    },
}

/// The database file, shared by every subcommand that touches it.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    #[arg(long, env = "OFFICINA_DB", default_value = "data/officina.db")]
    pub db: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, env = "OFFICINA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// The built app (Trunk's output).
    #[arg(long, env = "OFFICINA_DIST", default_value = "dist")]
    pub dist: PathBuf,
    #[arg(long, env = "OFFICINA_CONTENT", default_value = "content")]
    pub content: PathBuf,
}
