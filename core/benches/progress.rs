//! Progress and badges for one person's log, recomputed after every action in the app.
//! Budget (issue 6): 10 000 events over the whole programme in under 5 ms. Issue 16: one more
//! event merged into the fold of 10 000 in under 20 µs, progress and badges from a fold in
//! under 0.2 ms.
//!
//! cargo bench -p officina-core --bench progress

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use officina_core::badges::evaluate;
use officina_core::fold::Fold;
use officina_core::progress::Progress;
use officina_core::rules::{Judged, judge};
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
            let fold = Fold::of(&Judged::of(black_box(&log), &bundle));
            let progress = Progress::of(&fold);
            evaluate(&bundle, &fold, &progress)
                .iter()
                .filter(|s| s.earned())
                .count()
        })
    });
    let fold = Fold::of(&Judged::of(&log, &bundle));
    let next = log_of(&bundle, 1, 10_000, None);
    let event = next.iter().next().expect("one event");
    c.bench_function("judge 1 event and add it to the fold of 10 000", |b| {
        b.iter_batched(
            || fold.clone(),
            |mut fold| {
                if let Ok(payload) = judge(black_box(event), &bundle) {
                    fold.add(event, &payload);
                }
                fold
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("progress + badges from the fold of 10 000", |b| {
        b.iter(|| {
            let progress = Progress::of(black_box(&fold));
            evaluate(&bundle, &fold, &progress)
                .iter()
                .filter(|s| s.earned())
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
