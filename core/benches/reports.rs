//! The educators' reports, computed by the server on every request: a cohort's dashboard, and the
//! programme's impact over every cohort. Issue 16: the impact of 10 000 learners from their kept
//! summaries, and what reading those summaries back from their stored JSON costs.
//!
//! cargo bench -p officina-core --bench reports

use criterion::{Criterion, criterion_group, criterion_main};
use officina_core::account::Role;
use officina_core::cohort::{Cohort, Member, MemberLog};
use officina_core::dashboard::dashboard;
use officina_core::summary::Summary;
use officina_core::{Bundle, Lang, impact};
use std::hint::black_box;

mod common;
use common::{log_of, programme};

/// A class of 30: 25 learners and 5 parents, 200 events each.
const MEMBERS: u32 = 30;
const EVENTS_EACH: u32 = 200;
const NOW: &str = "2026-12-31T12:00:00Z";

fn cohort<'a>(bundle: &'a Bundle, path: usize, seed: u32) -> Cohort<'a> {
    let members = (0..MEMBERS)
        .map(|n| {
            let id = format!("u{seed}-{n}");
            let member = Member {
                nickname: format!("Nick{n}"),
                role: if n < 25 { Role::Learner } else { Role::Parent },
                joined_at: "2026-01-01T00:00:00Z".into(),
                last_synced_at: Some("2026-12-20T10:00:00Z".into()),
                id: id.clone(),
            };
            let first = u128::from(seed * MEMBERS + n) << 32;
            MemberLog::of_log(
                member,
                &log_of(bundle, EVENTS_EACH, first, Some(&id)),
                bundle,
            )
        })
        .collect();
    Cohort {
        path: &bundle.paths[path % bundle.paths.len()],
        xp_and_streaks: true,
        startups: None,
        members,
        erased: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let bundle = programme();
    let class = cohort(&bundle, 0, 0);
    c.bench_function("dashboard of 30 members x 200 events", |b| {
        b.iter(|| dashboard(&bundle, black_box(&class), NOW, Lang::It))
    });
    // Twelve cohorts: the programme's targets over three years, each a class of 30.
    let cohorts: Vec<Cohort> = (0..12).map(|n| cohort(&bundle, n, n as u32)).collect();
    c.bench_function("programme impact of 12 cohorts x 30 members", |b| {
        b.iter(|| impact::programme(&bundle, black_box(&cohorts), NOW, Lang::It))
    });
    // 10 000 learners x 200 events: 334 classes of 30 (each member folded once, untimed).
    let everyone: Vec<Cohort> = (0..334).map(|n| cohort(&bundle, n, n as u32)).collect();
    c.bench_function(
        "programme impact of 10 020 members from their summaries",
        |b| b.iter(|| impact::programme(&bundle, black_box(&everyone), NOW, Lang::It)),
    );
    let stored: Vec<Vec<u8>> = everyone
        .iter()
        .flat_map(|c| &c.members)
        .map(|m| m.summary.to_bytes())
        .collect();
    let bytes: usize = stored.iter().map(Vec::len).sum();
    println!("10 020 stored summaries: {bytes} bytes");
    c.bench_function("read 10 020 stored summaries", |b| {
        b.iter(|| {
            stored
                .iter()
                .filter_map(|bytes| Summary::from_bytes(black_box(bytes)))
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
