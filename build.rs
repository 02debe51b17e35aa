//! Turns `assets/eri-ship-types.tsv` (a copy of the ERI code list in
//! `../shared/spec/`) into a Rust table, so the binary carries it.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    let src = "assets/eri-ship-types.tsv";
    println!("cargo:rerun-if-changed={src}");
    let text = fs::read_to_string(src).expect("assets/eri-ship-types.tsv is part of the package");
    let mut out = String::from("[\n");
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 5, "bad ERI line: {line}");
        let code: u16 = cols[0].parse().expect("ERI code is numeric");
        let first: u8 = cols[3].parse().expect("first digit");
        let second: u8 = cols[4].parse().expect("second digit");
        writeln!(out, "    ({code}, {:?}, {}),", cols[2], first * 10 + second).expect("write");
    }
    out.push(']');
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("eri_ship_types.rs");
    fs::write(dest, out).expect("write table");
}
