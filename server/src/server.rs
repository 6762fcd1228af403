//! `serve`: load the content, open the database, and serve the API and the app until a signal.

use crate::auth::client_address::TrustedProxies;
use crate::auth::limiter::Limiter;
use crate::cli::ServeArgs;
use crate::content::{self, IMAGES_URL, LoadedContent};
use crate::gate::{self, Bounds, Gate};
use crate::openbadges::{Issuer, PublicUrl};
use crate::photos::Photos;
use crate::precompress::precompress;
use crate::state::AppState;
use crate::store::backend::{Db, on};
use crate::store::folds;
use crate::store::writer::{Stopper, Writer};
use crate::{db, routes, web};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use officina_core::sync::MAX_PUSH_BYTES;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// A server bound to its address, ready to serve.
pub struct Server {
    listener: TcpListener,
    app: Router,
    db: Db,
    writer: Stopper,
    /// Bringing the kept folds up to date (`folds::keep_all`), stopped with the server.
    keeping: JoinHandle<()>,
}

impl Server {
    /// Checks the content and the app, opens the database: refuses to start on any problem.
    pub async fn prepare(args: &ServeArgs) -> anyhow::Result<Self> {
        Self::prepare_with(args, Bounds::default()).await
    }

    /// [`prepare`](Self::prepare), with other bounds on expensive work (tests shorten the wait).
    pub async fn prepare_with(args: &ServeArgs, bounds: Bounds) -> anyhow::Result<Self> {
        gate::return_large_blocks();
        let content = content::load(&args.content)?;
        let csp = web::content_security_policy(&args.dist)?;
        if let Err(err) = precompress(&args.dist) {
            // Still correct without the copies on disk: the app's files are compressed in memory.
            tracing::warn!(error = %err, "cannot write compressed copies of the app");
        }
        let assets = web::Assets::load(&args.dist).map_err(|err| {
            anyhow::anyhow!("cannot read the app in {}: {err}", args.dist.display())
        })?;
        let db = db::open_db(&args.db.db).await?;
        let own = db::own_connection(&args.db.db).await?;
        let (writer, stopper) = Writer::start(own, bounds.commit_delay);
        let photos_dir = args.photos_dir()?;
        let photos = Photos::open(&photos_dir).map_err(|err| {
            anyhow::anyhow!(
                "cannot open the photos folder {}: {err}",
                photos_dir.display()
            )
        })?;
        let forgotten = crate::photos::forget_abandoned(&db, &photos.dir).await?;
        if forgotten > 0 {
            tracing::info!(forgotten, "abandoned photo uploads forgotten");
        }
        record_content(&db, &content).await?;
        let listener = TcpListener::bind(args.addr).await?;
        let issuer = Issuer {
            public_url: public_url(args, listener.local_addr()?),
            email: args.issuer_email.clone(),
        };
        let state = AppState {
            db: db.clone(),
            writer,
            content: Arc::new(content),
            limiter: Arc::new(Limiter::for_db(&db)),
            proxies: Arc::new(TrustedProxies::new(args.trusted_proxies.clone())),
            issuer: Arc::new(issuer),
            images: Arc::new(args.content.join("images")),
            photos: Arc::new(photos),
            hashing: Gate::new("argon2", gate::HASHES_AT_ONCE, bounds.wait),
            decoding: Gate::new("photo-decode", gate::DECODES_AT_ONCE, bounds.wait),
            exporting: Gate::new("export", gate::EXPORTS_AT_ONCE, bounds.wait),
            sending_exports: Arc::new(Semaphore::new(gate::EXPORTS_SENT_AT_ONCE)),
        };
        let content = state.content.clone();
        let keeping = tokio::spawn({
            let db = db.clone();
            async move { folds::keep_all(db, &content.bundle).await }
        });
        Ok(Self {
            listener,
            app: app(state, args, &csp, assets),
            db,
            writer: stopper,
            keeping,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // The peer address, which feeds the login rate limit, is each request's `ConnectInfo`.
        crate::connections::serve(self.listener, self.app, shutdown).await;
        self.keeping.abort();
        // Its connection back in the pool before the pool closes.
        let _ = self.keeping.await;
        self.writer.stop().await;
        // Every connection closed before the process ends or another copy opens the file: the
        // last one folds the WAL into the database, which backups and restores can then rely on.
        self.db.close().await;
        Ok(())
    }
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let server = Server::prepare(&args).await?;
    tracing::info!("Officina è pronta su http://{}", server.local_addr()?);
    server.serve(shutdown_signal()).await?;
    tracing::info!("Officina si è fermata");
    Ok(())
}

/// The public URL given, or the one made from the address bound (its real port when `--addr` asked
/// for any); a warning when only this machine reaches it while others reach the server.
fn public_url(args: &ServeArgs, bound: SocketAddr) -> PublicUrl {
    // Copies behind a proxy would each make badge ids from their own address.
    if args.public_url.is_none() && matches!(args.db.db, db::Target::Postgres(_)) {
        tracing::warn!(
            "on PostgreSQL without --public-url: several copies of the server need it, the \
             address they are all reached at, or each makes Open Badges ids of its own"
        );
    }
    let url = args
        .public_url
        .clone()
        .unwrap_or_else(|| PublicUrl::from_addr(bound));
    if let Some(warning) = url.warning(bound) {
        tracing::warn!("{warning}");
    }
    url
}

fn app(state: AppState, args: &ServeArgs, csp: &str, assets: web::Assets) -> Router {
    let mut router = Router::new()
        .nest("/api", routes::api().with_state(state.clone()))
        .nest("/ob", routes::ob::routes().with_state(state))
        .nest_service(
            IMAGES_URL.trim_end_matches('/'),
            web::content_images(&args.content.join("images")),
        )
        .merge(web::app_files(assets))
        .layer(DefaultBodyLimit::max(MAX_PUSH_BYTES))
        // A ZIP of JPEG photos does not compress: not worth the CPU. The app's files are sent
        // from their compressed copies (with Content-Encoding), which the layer leaves alone.
        .layer(CompressionLayer::new().br(true).gzip(true).compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    for layer in web::security_headers(csp) {
        router = router.layer(layer);
    }
    // Outermost, so the log line has the final status.
    let trace = TraceLayer::new_for_http()
        .make_span_with(request_span)
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    router.layer(trace)
}

/// A request's log span: method and path only. Never the query string (the QR link carries a join
/// code in it) nor headers (tokens).
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = request.uri().path())
}

/// Keeps every content version served, so later events can be read against the content they met.
async fn record_content(db: &Db, content: &LoadedContent) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO content_bundles (version, bundle) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    on!(db, c => sqlx::query(sql)
        .bind(&content.bundle.content_version)
        .bind(String::from_utf8_lossy(&content.json).as_ref())
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("segnale ricevuto: chiudo le richieste in corso");
}
