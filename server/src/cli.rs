//! The command line: `serve` and the admin commands.

use crate::auth::client_address::parse_network;
use crate::db::Target;
use crate::openbadges::PublicUrl;
use clap::{Args, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use officina_core::account::Role;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "officina-server",
    version,
    about = "Officina: server e strumenti di amministrazione"
)]
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
    /// Educator and admin accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Cohorts: groups of learners who join with a code.
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// Check what is already stored against the programme's rules.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the database (consistently, while the server runs) and the photos it names into a
    /// new dated folder with a manifest of counts and SHA-256 hashes.
    Backup(BackupArgs),
    /// Check a backup against its manifest and put it in place (stop the server first).
    Restore(RestoreArgs),
    /// Write everything Officina holds about a learner or parent into one ZIP (a request for
    /// access from someone who cannot use the app).
    Export(ExportArgs),
    /// Erase a learner's or parent's account and everything of theirs, for good.
    Erase(EraseArgs),
    /// Erase the accounts of the cohorts that ended more than DAYS days ago, photos first.
    Retention(RetentionArgs),
    /// Copy a SQLite database into an empty PostgreSQL database: every row, every event with its
    /// seq, in one transaction that commits only once each table reads back as copied. Stop the
    /// server and take a backup first.
    #[command(
        after_help = "Example: officina-server migrate-to --from data/officina.db --db postgres://officina@db.example/officina"
    )]
    MigrateTo(MigrateToArgs),
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

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Print one line per badge assertion whose evidence no longer satisfies the rules
    /// (assertion id, learner id, badge, why) and a last line with the count.
    Badges {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "OFFICINA_CONTENT", default_value = "content")]
        content: PathBuf,
        /// Withdraw them: their public URLs answer 410 with the reason.
        #[arg(long)]
        revoke: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an educator or admin account; the password is read from standard input.
    Create {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        role: StaffRole,
        #[arg(long)]
        name: String,
    },
    /// Give an educator or admin (the last admin too) a new password, read from standard input;
    /// their sessions end.
    ResetPassword {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        name: String,
    },
}

/// The roles made from the command line; learners and parents join with a cohort's code.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StaffRole {
    Educator,
    Admin,
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Educator => Role::Educator,
            StaffRole::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Create a cohort following a path; prints its join code alone on the last line.
    Create {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        name: String,
        /// The id of a path in the content.
        #[arg(long = "path")]
        path_id: String,
        /// The content, to check that the path exists.
        #[arg(long, env = "OFFICINA_CONTENT", default_value = "content")]
        content: PathBuf,
        /// An educator who runs the cohort (may award its badges); repeat for several.
        #[arg(long = "educator")]
        educators: Vec<String>,
    },
}

/// The database, shared by every subcommand that touches it.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// An SQLite file (one server), or a PostgreSQL database, postgres://USER@HOST:PORT/NAME
    /// (several copies of the server behind one proxy; the password in PGPASSWORD or ~/.pgpass).
    // The environment's value is not shown by --help: it may hold a password.
    #[arg(
        long,
        env = "OFFICINA_DB",
        hide_env_values = true,
        default_value = "data/officina.db"
    )]
    pub db: Target,
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
    /// The server's public base URL: Open Badges ids and links start with it. By default
    /// `http://` and `--addr` (the loopback with its port when `--addr` is 0.0.0.0 or [::]).
    #[arg(long, env = "OFFICINA_PUBLIC_URL")]
    pub public_url: Option<PublicUrl>,
    /// The programme's contact address in its Open Badges issuer profile (Open Badges requires one).
    #[arg(
        long,
        env = "OFFICINA_ISSUER_EMAIL",
        default_value = "badge@officina.invalid"
    )]
    pub issuer_email: String,
    #[command(flatten)]
    pub photos: PhotosArgs,
    /// A reverse proxy (address or network, e.g. 10.0.0.0/8) whose `X-Forwarded-For` names the
    /// client; repeat for several. Without one the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "OFFICINA_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = parse_network
    )]
    pub trusted_proxies: Vec<IpNet>,
}

impl ServeArgs {
    pub fn photos_dir(&self) -> anyhow::Result<PathBuf> {
        self.photos.dir(&self.db)
    }
}

/// The photos folder, shared by every subcommand that touches photos.
#[derive(Debug, Clone, Default, Args)]
pub struct PhotosArgs {
    /// Where learners' photos are kept; by default `photos/` beside an SQLite database. With
    /// PostgreSQL, a folder every copy of the server shares (a volume of them all).
    #[arg(long, env = "OFFICINA_PHOTOS")]
    pub photos_dir: Option<PathBuf>,
}

impl PhotosArgs {
    /// The photos folder: the one given, or `photos/` in an SQLite database's folder.
    pub fn dir(&self, db: &DbArgs) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.photos_dir {
            return Ok(dir.clone());
        }
        match &db.db {
            Target::Sqlite(path) => Ok(path
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join("photos")),
            Target::Postgres(_) => anyhow::bail!(
                "with a PostgreSQL database, --photos-dir (OFFICINA_PHOTOS) says where the photos \
                 are: a folder every copy of the server shares"
            ),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub photos: PhotosArgs,
    /// The folder that keeps the backups; each one goes into a new `officina-<UTC time>` in it.
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub photos: PhotosArgs,
    /// The account's id (as the workspace and the API show it).
    #[arg(long)]
    pub user: String,
    /// The ZIP file to write.
    #[arg(long)]
    pub to: PathBuf,
    /// The server's public base URL, which the badges' public addresses start with.
    #[arg(long, env = "OFFICINA_PUBLIC_URL")]
    pub public_url: PublicUrl,
}

/// What erasing needs: the database, the photos, and the programme (to keep the impact report's
/// counts of what is erased).
#[derive(Debug, Clone, Args)]
pub struct ErasingArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub photos: PhotosArgs,
    #[arg(long, env = "OFFICINA_CONTENT", default_value = "content")]
    pub content: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct EraseArgs {
    #[command(flatten)]
    pub erasing: ErasingArgs,
    /// The account's id.
    #[arg(long)]
    pub user: String,
}

#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub erasing: ErasingArgs,
    /// Erase the accounts of cohorts whose end date is more than this many days ago.
    #[arg(long)]
    pub older_than: u32,
    /// Only print what would be erased.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// One backup's folder (`officina-<UTC time>`, with its `manifest.json`).
    #[arg(long)]
    pub from: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub photos: PhotosArgs,
    /// Replace a database or photos folder that is not empty (once the new ones are complete).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MigrateToArgs {
    /// The SQLite database to copy, as the other commands' `--db` names it; it is only read.
    #[arg(
        long,
        env = "OFFICINA_DB",
        hide_env_values = true,
        default_value = "data/officina.db"
    )]
    pub from: PathBuf,
    /// The PostgreSQL database to fill, which must hold no rows (its schema is made or brought up
    /// to date first): postgres://USER@HOST:PORT/NAME. Give the password in PGPASSWORD or
    /// ~/.pgpass rather than in the URL, which other users see in `ps`.
    #[arg(long, value_name = "URL")]
    pub db: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_repeat_and_split_on_commas() {
        let cli = Cli::try_parse_from([
            "officina-server",
            "serve",
            "--trusted-proxy",
            "127.0.0.1",
            "--trusted-proxy",
            "10.0.0.0/8,::1",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve")
        };
        let expected: Vec<IpNet> = ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
            .iter()
            .map(|net| net.parse().unwrap())
            .collect();
        assert_eq!(args.trusted_proxies, expected);
    }
}
