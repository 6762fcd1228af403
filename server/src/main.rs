use clap::Parser;
use officina_core::account::Role;
use officina_server::cli::{Cli, CohortCommand, Command, ContentCommand, UserCommand};
use std::path::Path;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => officina_server::server::run(args).await,
        Command::Content(ContentCommand::Check { dir }) => check_content(&dir),
        Command::User(UserCommand::Create { db, role, name }) => {
            create_user(&db.db, role.into(), &name).await
        }
        Command::Cohort(CohortCommand::Create {
            db,
            name,
            path_id,
            content,
            educators,
        }) => create_cohort(&db.db, &content, &name, &path_id, &educators).await,
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

async fn create_user(db: &Path, role: Role, name: &str) -> anyhow::Result<()> {
    // One line from standard input, so the password is in neither the shell history nor `ps`.
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    let user = officina_server::admin::create_staff(db, role, name, password).await?;
    println!(
        "account creato: {} ({}), id {}",
        user.nickname,
        role.as_str(),
        user.id
    );
    Ok(())
}

async fn create_cohort(
    db: &Path,
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

fn print_app_size(dist: &Path) -> anyhow::Result<()> {
    let sizes = officina_server::precompress::precompress(dist)?;
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for size in &sizes {
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            size.file.display(),
            size.raw,
            size.gzip,
            size.brotli
        );
    }
    let total =
        |f: fn(&officina_server::precompress::Sizes) -> u64| sizes.iter().map(f).sum::<u64>();
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "total",
        total(|s| s.raw),
        total(|s| s.gzip),
        total(|s| s.brotli)
    );
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
