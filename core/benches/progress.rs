//! Progress and badges for one person's log, recomputed after every action in the app.
//! Budget (issue 6): 10 000 events over the whole programme in under 5 ms.
//!
//! cargo bench -p officina-core --bench progress

use criterion::{Criterion, criterion_group, criterion_main};
use officina_core::badges::evaluate;
use officina_core::progress::Progress;
use officina_core::rules::Judged;
use std::hint::black_box;

mod common;
use common::{log_of, programme};

fn bench(c: &mut Criterion) {
    let bundle = programme();
    // 10 000 events spread over the programme and a year of weeks, of every kind.
    let log = log_of(&bundle, 10_000, 0, None);
    c.bench_function("progress of 10 000 events", |b| {
        b.iter(|| Progress::from_log(black_box(&log), &bundle))
    });
    c.bench_function("progress + badges of 10 000 events", |b| {
        b.iter(|| {
            let judged = Judged::of(black_box(&log), &bundle);
            let progress = Progress::from_judged(&judged);
            evaluate(&bundle, &judged, &progress)
                .iter()
                .filter(|s| s.earned())
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
