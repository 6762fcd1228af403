//! The learner's wasm built with the `split` feature keeps the linker's relocations, which
//! wasm-split needs to cut it into chunks (scripts/split-wasm.sh). Only that binary: a wasm with
//! relocations left in is one wasm-opt cannot optimise, and a flag in RUSTFLAGS would rebuild
//! every dependency.
fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f == "wasm");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bin=officina=--emit-relocs");
    }
}
