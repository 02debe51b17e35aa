//! The house rules, checked on the source itself: no import cycle between
//! files or between top-level folders, and no file or socket I/O, async
//! runtime or terminal library in the pure layers. A plain reading of the
//! `use crate::…`, `crate::…` and `super::…` paths of every file under
//! `src/`; each rule is also shown to fail on a planted violation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers that do no I/O: plain functions over data, time passed in.
const PURE: &[&str] = &["nmea", "ais", "aiip", "traffic", "voyage", "clock", "geo"];

/// What the pure layers never name: files, sockets, processes, the async
/// runtime, the terminal. (Addresses as data, `std::net::SocketAddr`, are
/// fine: the AI-IP server core answers by address.)
const FORBIDDEN_IN_PURE: &[&str] = &[
    "std::fs",
    "File::",
    "UdpSocket",
    "TcpStream",
    "TcpListener",
    "std::process",
    "tokio",
    "ratatui",
    "crossterm",
    "tokio_serial",
    "/dev/",
];

/// A module path (`["app", "engine"]`) for each `.rs` file below `root`.
fn modules(root: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(&f);
        let mut parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        match parts.last().map(String::as_str) {
            Some("lib") | Some("main") if parts.len() == 1 => parts.clear(),
            Some("mod") => {
                parts.pop();
            }
            _ => {}
        }
        out.insert(parts, f);
    }
    out
}

/// The code of a file without comments and string contents (a path in
/// a doc comment or a message is not an import), and without its unit
/// tests (`#[cfg(test)]` to the end, the house's convention): a test may
/// use a helper from anywhere.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
                out.push('"');
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The longest known module that `path` (already made absolute) names.
fn resolve(mods: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains_key(p))
}

/// The file-level import graph: for each module, the modules it names.
fn graph(root: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mods = modules(root);
    let mut g = BTreeMap::new();
    for (m, file) in &mods {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let code = code_of(&text);
        let mut deps = BTreeSet::new();
        // A file's own folder: `super` of `a/b.rs` (module a::b) is `a`;
        // of `a/mod.rs` (module a) it is the crate.
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs");
        let here: Vec<String> = if is_mod_file || m.is_empty() {
            m.clone()
        } else {
            m[..m.len() - 1].to_vec()
        };
        let mut add = |abs: Vec<String>| {
            if let Some(t) = resolve(&mods, &abs)
                && &t != m
                && !t.is_empty()
                && !m.starts_with(&t)
            {
                deps.insert(t);
            }
        };
        for (kw, base) in [("crate::", Vec::new()), ("super::", here.clone())] {
            let mut rest = code.as_str();
            while let Some(i) = rest.find(kw) {
                let before = rest[..i].chars().last();
                rest = &rest[i + kw.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let mut base = base.clone();
                let mut tail = rest;
                // super::super::…
                while let Some(t) = tail.strip_prefix("super::") {
                    base.pop();
                    tail = t;
                }
                // One path, or a `{a, b::c}` group one level deep.
                let mut heads = Vec::new();
                let seg: String = tail
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let after = &tail[seg.len()..];
                if let (true, Some(group)) = (
                    seg.ends_with("::") || seg.is_empty(),
                    after.strip_prefix('{'),
                ) {
                    let inner = group.split('}').next().unwrap_or("");
                    for item in inner.split(',') {
                        heads.push(format!("{seg}{}", item.trim()));
                    }
                } else {
                    heads.push(seg);
                }
                for h in heads {
                    let mut abs = base.clone();
                    abs.extend(h.split("::").filter(|s| !s.is_empty()).map(str::to_string));
                    add(abs);
                }
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

/// Strongly connected components with more than one member (Tarjan).
fn cycles<N: Ord + Clone>(g: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct T<'a, N: Ord> {
        g: &'a BTreeMap<N, BTreeSet<N>>,
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on: BTreeSet<N>,
        next: usize,
        out: Vec<Vec<N>>,
    }
    fn visit<N: Ord + Clone>(t: &mut T<N>, v: &N) {
        t.index.insert(v.clone(), t.next);
        t.low.insert(v.clone(), t.next);
        t.next += 1;
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        let deps: Vec<N> =
            t.g.get(v)
                .map(|d| d.iter().cloned().collect())
                .unwrap_or_default();
        for w in deps {
            if !t.index.contains_key(&w) {
                visit(t, &w);
                let lw = t.low[&w];
                let lv = t.low[v];
                t.low.insert(v.clone(), lv.min(lw));
            } else if t.on.contains(&w) {
                let iw = t.index[&w];
                let lv = t.low[v];
                t.low.insert(v.clone(), lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// The folder-level graph: each top-level module and the others it names.
fn folders(g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, deps) in g {
        let Some(top) = m.first() else { continue };
        let e = out.entry(top.clone()).or_default();
        for d in deps {
            if let Some(t) = d.first()
                && t != top
            {
                e.insert(t.clone());
            }
        }
    }
    out
}

/// Every problem of the tree at `root`, in words.
fn problems(root: &Path) -> Vec<String> {
    let g = graph(root);
    let mut out: Vec<String> = cycles(&g)
        .into_iter()
        .map(|c| {
            let names: Vec<String> = c.iter().map(|m| m.join("::")).collect();
            format!("file cycle: {}", names.join(" <-> "))
        })
        .collect();
    out.extend(
        cycles(&folders(&g))
            .into_iter()
            .map(|c| format!("folder cycle: {}", c.join(" <-> "))),
    );
    for (m, file) in modules(root) {
        if !m.first().is_some_and(|t| PURE.contains(&t.as_str())) {
            continue;
        }
        // Strings too: "/dev/urandom" is I/O whatever it is called with.
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for f in FORBIDDEN_IN_PURE {
            if code.contains(f) {
                out.push(format!(
                    "{} names {f} (the pure layers do no I/O)",
                    m.join("::")
                ));
            }
        }
    }
    out
}

#[test]
fn the_source_has_no_import_cycle_and_no_io_in_the_pure_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let p = problems(&root);
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// The check fails on planted violations: a cycle between two files, a
/// cycle between two folders, and a pure layer that opens a file.
#[test]
fn the_check_fails_on_a_planted_cycle_and_planted_io() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |p: &str, t: &str| {
        let f = src.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    write("lib.rs", "pub mod app;\npub mod traffic;\npub mod ui;\n");
    write("app/mod.rs", "pub mod engine;\npub mod log;\n");
    write("app/engine.rs", "use super::log::Log;\n");
    write(
        "app/log.rs",
        "use crate::app::engine::Engine;\nuse crate::ui::draw;\n",
    );
    write("ui/mod.rs", "use crate::app::{engine::Engine, log};\n");
    write(
        "traffic/mod.rs",
        "//! std::fs in a comment is fine\npub fn f() { std::fs::read(\"x\"); }\n",
    );
    let p = problems(src);
    assert!(
        p.contains(&"file cycle: app::engine <-> app::log <-> ui".to_string()),
        "{p:#?}"
    );
    assert!(
        p.contains(&"folder cycle: app <-> ui".to_string()),
        "{p:#?}"
    );
    assert!(
        p.contains(&"traffic names std::fs (the pure layers do no I/O)".to_string()),
        "{p:#?}"
    );
    assert_eq!(p.len(), 3, "{p:#?}");
    // Mended, the same tree passes.
    write("app/log.rs", "pub struct Log;\n");
    write("traffic/mod.rs", "pub fn f() {}\n");
    assert!(problems(src).is_empty(), "{:#?}", problems(src));
}
