use clap::Parser;
use officina_server::cli::{Cli, Command, ContentCommand};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => officina_server::server::run(args).await,
        Command::Content(ContentCommand::Check { dir }) => check_content(&dir),
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

fn check_content(dir: &std::path::Path) -> anyhow::Result<()> {
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

fn print_app_size(dist: &std::path::Path) -> anyhow::Result<()> {
    let sizes = officina_server::precompress::precompress(dist)?;
    println!("{:<48} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    for size in &sizes {
        println!("{:<48} {:>10} {:>10} {:>10}", size.file.display(), size.raw, size.gzip, size.brotli);
    }
    let total = |f: fn(&officina_server::precompress::Sizes) -> u64| sizes.iter().map(f).sum::<u64>();
    println!("{:<48} {:>10} {:>10} {:>10}", "total", total(|s| s.raw), total(|s| s.gzip), total(|s| s.brotli));
    Ok(())
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();
}
