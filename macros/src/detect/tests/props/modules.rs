//! `mod`, `#[path]` and `include!` over generated module trees: a `libc::fork()` is found in
//! every file the tree reaches, once, and nowhere else. The layouts are rustc's: `name.rs`
//! (whose children live in `name/`), `name/mod.rs`, and `#[path]` relative to the declaring
//! file's directory (whose children live next to it).

use super::{config, small_stack};
use crate::detect::scan_crate;
use crate::detect::source::store::tests::Memory;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// How a module is declared.
#[derive(Clone, Copy, Debug)]
enum Layout {
    /// `mod mN;` in `mN.rs`.
    File,
    /// `mod mN;` in `mN/mod.rs`.
    ModRs,
    /// `#[path = "pN.rs"] mod mN;` next to the declaring file.
    Path,
}

/// Module `N`: its parent (an earlier module, or the crate root), its layout, whether its file
/// calls `fork`, and whether it `include!`s a file that does.
#[derive(Clone, Debug)]
struct Module {
    parent: usize,
    layout: Layout,
    fork: bool,
    include: bool,
}

fn modules() -> impl Strategy<Value = Vec<Module>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec![Layout::File, Layout::ModRs, Layout::Path]),
            any::<bool>(),
            prop::bool::weighted(0.2),
        ),
        0..24,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (parent, layout, fork, include))| Module {
                // Module i+1's parent is 0 (the root) ..= i.
                parent: parent.index(i + 1),
                layout,
                fork,
                include,
            })
            .collect()
    })
}

const FORK: &str = "pub fn f() { unsafe { libc::fork(); } }\n";

/// The files of the tree, and the files that call `fork`.
fn build(modules: &[Module], fork_in_root: bool) -> (Memory, BTreeSet<PathBuf>) {
    let root = PathBuf::from("/c/src/main.rs");
    // Per module (0 is the crate root): its file, and the directory its children live in.
    let mut files: Vec<PathBuf> = vec![root.clone()];
    let mut dirs: Vec<PathBuf> = vec![PathBuf::from("/c/src")];
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    texts.insert(root.clone(), "fn main() {}\n".to_owned());
    let mut forks = BTreeSet::new();
    if fork_in_root {
        texts.entry(root.clone()).or_default().push_str(FORK);
        forks.insert(root);
    }
    for (i, module) in modules.iter().enumerate() {
        let id = i + 1;
        let parent_file = files[module.parent].clone();
        let parent_dir = dirs[module.parent].clone();
        let name = format!("m{id}");
        let (declaration, file, dir) = match module.layout {
            Layout::File => (
                format!("mod {name};\n"),
                parent_dir.join(format!("{name}.rs")),
                parent_dir.join(&name),
            ),
            Layout::ModRs => (
                format!("mod {name};\n"),
                parent_dir.join(&name).join("mod.rs"),
                parent_dir.join(&name),
            ),
            Layout::Path => {
                let here = parent_file.parent().unwrap_or(Path::new("/")).to_path_buf();
                (
                    format!("#[path = \"p{id}.rs\"]\nmod {name};\n"),
                    here.join(format!("p{id}.rs")),
                    here,
                )
            }
        };
        texts.entry(parent_file).or_default().push_str(&declaration);
        let text = texts.entry(file.clone()).or_default();
        if module.fork {
            text.push_str(FORK);
            forks.insert(file.clone());
        }
        if module.include {
            text.push_str(&format!("include!(\"inc{id}.rs\");\n"));
            let included = file
                .parent()
                .unwrap_or(Path::new("/"))
                .join(format!("inc{id}.rs"));
            texts.insert(
                included.clone(),
                format!("pub fn g{id}() {{ unsafe {{ libc::fork(); }} }}\n"),
            );
            forks.insert(included);
        }
        files.push(file);
        dirs.push(dir);
    }
    let memory = Memory {
        files: texts
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect(),
        ..Memory::default()
    };
    (memory, forks)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_reached_file_is_read_and_each_fork_found_once(
        modules in modules(),
        fork_in_root in any::<bool>(),
    ) {
        let (memory, forks) = build(&modules, fork_in_root);
        let file_count = memory.files.len();
        let (files, found) = small_stack(move || {
            let scanned = scan_crate(Path::new("/c/src/main.rs"), &memory, &HashMap::new(), true, &[]);
            let found: Vec<PathBuf> = scanned.findings.iter().map(|f| f.file.clone()).collect();
            (scanned.files, found)
        })?;
        prop_assert_eq!(files, file_count, "every file of the tree is read");
        let distinct: BTreeSet<PathBuf> = found.iter().cloned().collect();
        prop_assert_eq!(distinct.len(), found.len(), "one finding per fork: {:?}", found);
        prop_assert_eq!(distinct, forks);
    }
}
