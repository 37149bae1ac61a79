//! `wasm-split <app.wasm> <out-dir> <main-out.wasm> <main-module.js>`
//!
//! Splits the linked app (built with `--emit-relocs`) at its
//! `#[wasm_split]` points: the main module (still to pass through
//! wasm-bindgen) and one `.wasm` per chunk plus the `__wasm_split.js`
//! loader in the output directory, and a manifest of what each chunk needs.

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, main_out, main_module] = args.as_slice() else {
        eprintln!("usage: wasm-split <app.wasm> <out-dir> <main-out.wasm> <main-module.js>");
        std::process::exit(2);
    };
    let wasm = std::fs::read(input).unwrap_or_else(|e| fail(&format!("{input}: {e}")));
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = Path::new(out_dir);
    options.main_out_path = Path::new(main_out);
    options.main_module = main_module;
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options).unwrap_or_else(|e| fail(&format!("{e:?}")));
    let mut chunks: Vec<_> = split.prefetch_map.into_iter().collect();
    chunks.sort();
    for (split, needs) in chunks {
        println!("{split}: {}", needs.join(" "));
    }
}

fn fail(why: &str) -> ! {
    eprintln!("wasm-split: {why}");
    std::process::exit(1);
}
