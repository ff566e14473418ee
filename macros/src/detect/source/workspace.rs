//! The package around the attribute: its manifest, the workspace it belongs to, and the user's
//! other crates whose code runs in this process (the package's own library and the workspace
//! members it depends on by `path =`).

use crate::detect::source::disk::read_regular;
use crate::detect::source::manifest::{self, Manifest, PathDependency};
use crate::detect::source::store::normalize;
use std::path::{Path, PathBuf};

/// Another crate of the user's to scan: its name in the code, its root file, and whether it is
/// the attribute's own package (its library target) rather than another workspace member.
pub(crate) struct Root {
    pub name: String,
    pub path: PathBuf,
    pub own: bool,
}

/// The package at `dir`: its manifest (empty when unreadable, with the workspace's
/// `[workspace.dependencies]` applied) and the other crates to scan.
pub(crate) fn package(dir: &Path) -> (Manifest, Vec<Root>) {
    let text = read_manifest(dir);
    let workspace = workspace_root(dir);
    let manifest = text
        .map(|text| manifest::parse(&text, workspace.as_ref().map(|(_, text)| text.as_str())))
        .unwrap_or_default();
    let roots = other_roots(dir, workspace.as_ref().map(|(d, _)| d.as_path()), &manifest);
    (manifest, roots)
}

/// The nearest directory at or above `package` whose `Cargo.toml` declares a workspace, with
/// that manifest's text.
fn workspace_root(package: &Path) -> Option<(PathBuf, String)> {
    package.ancestors().take(8).find_map(|dir| {
        let text = read_manifest(dir)?;
        manifest::is_workspace_root(&text).then(|| (dir.to_path_buf(), text))
    })
}

/// The user's other crates to scan: the package's own library target, and the library of every
/// `path =` dependency inside the workspace (and theirs, transitively), as `(name in the code,
/// root file)`.
fn other_roots(package: &Path, workspace: Option<&Path>, manifest: &Manifest) -> Vec<Root> {
    let mut roots = vec![Root {
        name: manifest.lib.0.clone(),
        path: package.join(&manifest.lib.1),
        own: true,
    }];
    let mut queue: Vec<(PathBuf, PathDependency)> = manifest
        .path_deps
        .iter()
        .map(|dep| (package.to_path_buf(), dep.clone()))
        .collect();
    let mut seen: Vec<PathBuf> = vec![normalize(package)];
    while let Some((from, dep)) = queue.pop() {
        let base = match (dep.from_workspace, workspace) {
            (true, Some(root)) => root,
            _ => from.as_path(),
        };
        let dir = normalize(&base.join(&dep.path));
        // Only the workspace's own members: a path dependency elsewhere (a vendored or
        // checked-out library) is someone else's code, like a registry crate.
        let inside = dir.starts_with(normalize(workspace.unwrap_or(package)));
        if !inside || seen.contains(&dir) || seen.len() > 32 {
            continue;
        }
        seen.push(dir.clone());
        let Some(text) = read_manifest(&dir) else {
            continue;
        };
        let theirs = manifest::parse(&text, None);
        roots.push(Root {
            name: dep.name.clone(),
            path: dir.join(&theirs.lib.1),
            own: false,
        });
        queue.extend(theirs.path_deps.into_iter().map(|d| (dir.clone(), d)));
    }
    roots
}

/// A manifest is larger than this only when something is wrong; it is then not read.
const MAX_MANIFEST_BYTES: u64 = 4 << 20;

/// The text of `dir/Cargo.toml` when it is a regular file of at most [`MAX_MANIFEST_BYTES`]
/// (cargo read it already, so anything else is a directory above the package that is no
/// workspace root: a FIFO there must not block the build).
fn read_manifest(dir: &Path) -> Option<String> {
    let bytes = read_regular(&dir.join("Cargo.toml"), MAX_MANIFEST_BYTES).ok()?;
    String::from_utf8(bytes).ok()
}
