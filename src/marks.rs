//! Performance marks on the way to a usable home, read from the page's performance timeline by
//! scripts/bench-phone.sh (and visible in any trace): `officina:start` (the wasm runs),
//! `officina:content` and `officina:journal` (each read from storage), `officina:home` (home is
//! being built) and `officina:usable` (the frame after home's list of paths). A direct import of
//! `performance.mark`: one import, no web-sys feature (the same bytes as web-sys's binding).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(js_namespace = performance)]
extern "C" {
    pub fn mark(name: &str);
}
