//! Performance marks of the app's start, read from the page's performance timeline by
//! scripts/bench-phone.sh: `officina:start` (the wasm runs), `officina:content` and
//! `officina:journal` (each read from storage). The bench marks home's heading and list itself,
//! from the page's DOM: every byte counts against the first load's budget (BENCHMARKS.md). A
//! direct import of `performance.mark`: one import, no web-sys feature.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(js_namespace = performance)]
extern "C" {
    pub fn mark(name: &str);
}
