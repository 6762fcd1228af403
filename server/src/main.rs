use clap::Parser;
use officina_core::account::Role;
use officina_server::cli::{
    AuditCommand, BackupArgs, Cli, CohortCommand, Command, ContentCommand, RestoreArgs, UserCommand,
};
use officina_server::data_rights;
use std::path::Path;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let mut say = |line: String| println!("{line}");
    let outcome = match cli.command {
        Command::Serve(args) => officina_server::server::run(args).await,
        Command::Content(ContentCommand::Check { dir }) => check_content(&dir),
        Command::User(UserCommand::Create { db, role, name }) => {
            create_user(&db.db, role.into(), &name).await
        }
        Command::User(UserCommand::ResetPassword { db, name }) => {
            reset_password(&db.db, &name).await
        }
        Command::Cohort(CohortCommand::Create {
            db,
            name,
            path_id,
            content,
            educators,
        }) => create_cohort(&db.db, &content, &name, &path_id, &educators).await,
        Command::Audit(AuditCommand::Badges {
            db,
            content,
            revoke,
        }) => audit_badges(&db.db, &content, revoke).await,
        Command::Backup(args) => backup(&args).await,
        Command::Restore(args) => restore(&args).await,
        Command::Export(args) => data_rights::export(&args, &mut say).await,
        Command::Erase(args) => data_rights::erase(&args, &mut say).await,
        Command::Retention(args) => data_rights::retention(&args, &mut say).await,
        Command::MigrateTo(args) => {
            officina_server::migrate_to::run(&args.from, &args.db, &mut say).await
        }
        Command::AppSize { dist } => print_app_size(&dist),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("errore: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn check_content(dir: &Path) -> anyhow::Result<()> {
    let loaded = officina_server::content::load(dir)?;
    let bundle = &loaded.bundle;
    let activities: usize = bundle.paths.iter().map(|p| p.activities().count()).sum();
    println!(
        "contenuti validi: percorsi {}, attività {}, badge {} (versione {})",
        bundle.paths.len(),
        activities,
        bundle.badges.len(),
        bundle.content_version
    );
    Ok(())
}

async fn create_user(
    db: &officina_server::db::Target,
    role: Role,
    name: &str,
) -> anyhow::Result<()> {
    let password = password_from_stdin()?;
    let user = officina_server::admin::create_staff(db, role, name, &password).await?;
    println!(
        "account creato: {} ({}), id {}",
        user.nickname,
        role.as_str(),
        user.id
    );
    Ok(())
}

async fn reset_password(db: &officina_server::db::Target, name: &str) -> anyhow::Result<()> {
    let password = password_from_stdin()?;
    let user = officina_server::admin::reset_staff_password(db, name, &password).await?;
    println!(
        "password cambiata: {} ({}); le sue sessioni sono chiuse",
        user.nickname,
        user.role.as_str()
    );
    Ok(())
}

/// One line from standard input, so the password is in neither the shell history nor `ps`.
fn password_from_stdin() -> std::io::Result<String> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_cohort(
    db: &officina_server::db::Target,
    content: &Path,
    name: &str,
    path_id: &str,
    educators: &[String],
) -> anyhow::Result<()> {
    let cohort =
        officina_server::admin::create_cohort(db, content, name, path_id, educators).await?;
    println!(
        "gruppo creato: {name} (percorso {path_id}), id {}",
        cohort.id
    );
    println!("codice per entrare:");
    println!("{}", cohort.join_code);
    Ok(())
}

async fn audit_badges(
    db: &officina_server::db::Target,
    content: &Path,
    revoke: bool,
) -> anyhow::Result<()> {
    let content = officina_server::content::load(content)?;
    let db = officina_server::db::open_db(db).await?;
    let findings = officina_server::openbadges::audit::badges(&db, &content.bundle, revoke).await?;
    for f in &findings {
        println!(
            "{}\t{}\t{}\t{}",
            f.assertion_id, f.user_id, f.badge_id, f.why
        );
    }
    let done = if revoke { "revocate" } else { "da revocare" };
    println!("asserzioni {done}: {}", findings.len());
    Ok(())
}

async fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    let photos = args.photos.dir(&args.db)?;
    let mut say = |line: String| println!("{line}");
    let db = args.db.db.sqlite_file("backup")?;
    officina_server::backup::take(db, &photos, &args.to, &mut say).await?;
    Ok(())
}

async fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let photos = args.photos.dir(&args.db)?;
    let mut say = |line: String| println!("{line}");
    let db = args.db.db.sqlite_file("restore")?;
    officina_server::backup::restore(&args.from, db, &photos, args.force, &mut say).await
}

fn print_app_size(dist: &Path) -> anyhow::Result<()> {
    use officina_server::precompress::{Sizes, first_load, precompress};
    let sizes = precompress(dist)?;
    let row = |name: &str, raw: u64, gzip: u64, brotli: u64| {
        println!("{name:<48} {raw:>10} {gzip:>10} {brotli:>10}");
    };
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for size in &sizes {
        row(
            &size.file.display().to_string(),
            size.raw,
            size.gzip,
            size.brotli,
        );
    }
    let total = |name: &str, files: Vec<&Sizes>| {
        let sum = |f: fn(&Sizes) -> u64| files.iter().map(|s| f(s)).sum::<u64>();
        row(name, sum(|s| s.raw), sum(|s| s.gzip), sum(|s| s.brotli));
    };
    total("total", sizes.iter().collect());
    // The budget is for the learner's first load; the workspace is another page, loaded only by staff.
    let page = |dir: &Path| -> anyhow::Result<Vec<&Sizes>> {
        let html = std::fs::read_to_string(dist.join(dir).join("index.html"))?;
        Ok(first_load(&sizes, dir, &html))
    };
    total(
        "learner first load (html + css + js + wasm)",
        page(Path::new(""))?,
    );
    let educator = Path::new(officina_server::web::EDUCATOR_DIR);
    if dist.join(educator).exists() {
        total("educator first load (/educator/)", page(educator)?);
    }
    Ok(())
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}
