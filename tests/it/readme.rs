//! The README's reference tables against the code: every variable the runtime reads is a row of
//! the environment table, every exit code the runtime uses is a row of the exit-code table, and
//! every file the README links to exists.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The rows of the Markdown table under the heading `## {heading}`.
fn table_rows(text: &str, heading: &str) -> Vec<String> {
    let section = text
        .split("\n## ")
        .find(|section| section.starts_with(heading))
        .unwrap_or_else(|| panic!("no ## {heading} in the README"));
    section
        .lines()
        .filter(|line| line.starts_with('|') && !line.starts_with("|---"))
        .skip(1)
        .map(str::to_owned)
        .collect()
}

#[test]
fn environment_table_lists_every_variable_the_runtime_reads() {
    let rows = table_rows(&readme(), "Environment variables");
    for variable in twelve_factor::__private::BUILTIN_VARIABLES {
        let name = format!("`{}`", variable.name);
        assert!(
            rows.iter().any(|row| row
                .split('|')
                .nth(1)
                .is_some_and(|cell| cell.contains(&name))),
            "{name} has no row in the README's environment table"
        );
    }
    for row in &rows {
        let first = row.split('|').nth(1).unwrap_or_default();
        for name in first.split('`').skip(1).step_by(2) {
            assert!(
                twelve_factor::__private::BUILTIN_VARIABLES
                    .iter()
                    .any(|variable| variable.name == name),
                "the README's environment table lists {name}, which the runtime does not read"
            );
        }
    }
}

#[test]
fn exit_code_table_lists_every_exit_code() {
    use twelve_factor::exit_code::{CONFIG, FAILURE, FORCED, PANIC, SUCCESS};
    let rows = table_rows(&readme(), "Exit codes");
    for code in [SUCCESS, FAILURE, CONFIG, PANIC, FORCED] {
        assert!(
            rows.iter()
                .any(|row| row.starts_with(&format!("| {code} |"))),
            "exit code {code} has no row in the README's exit-code table"
        );
    }
}

#[test]
fn every_local_link_of_the_readme_and_the_docs_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("docs/") {
            let path = entry.expect("a docs/ entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                pages.push(path);
            }
        }
    }
    let mut missing = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("a Markdown page");
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") {
                continue;
            }
            let base = page.parent().expect("a page's directory");
            if !base.join(file).exists() {
                missing.push(format!("{} → {file}", page.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "links to missing files:\n{}",
        missing.join("\n")
    );
}
