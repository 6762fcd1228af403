// Talc instead of the standard library's dlmalloc: as fast, and 0.4 KB less of the first load
// (brotli, measured in BENCHMARKS.md).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    officina::start();
}
