//! Set variables that carry a configuration's prefix but match none of its fields: most often a
//! typo, so each gets a warning naming the closest known variable.

use crate::config::variable::Variable;

/// Each set name starting with `prefix` that is neither a known variable nor its `_FILE` form,
/// sorted, with the closest known name.
pub(crate) fn unknown(
    prefix: &str,
    known: &[Variable],
    set: Vec<String>,
) -> Vec<(String, &'static str)> {
    let mut unknown: Vec<(String, &'static str)> = set
        .into_iter()
        .filter(|name| name.starts_with(prefix))
        .filter(|name| {
            !known.iter().any(|variable| {
                name == variable.name
                    || name
                        .strip_suffix("_FILE")
                        .is_some_and(|base| base == variable.name)
            })
        })
        .filter_map(|name| {
            let closest = known
                .iter()
                .min_by_key(|variable| distance(&name, variable.name))?;
            Some((name, closest.name))
        })
        .collect();
    unknown.sort();
    unknown
}

/// Levenshtein distance over bytes (variable names are ASCII in practice).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &'static str) -> Variable {
        Variable {
            name,
            field: "",
            doc: "",
            default: None,
            required: false,
            secret: false,
        }
    }

    #[test]
    fn typos_get_the_closest_name() {
        let known = [var("SHOP_DATABASE_URL"), var("SHOP_WORKERS")];
        let set = [
            "SHOP_DATABSE_URL",
            "SHOP_WORKER",
            "SHOP_WORKERS",
            "SHOP_DATABASE_URL_FILE",
            "PATH",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            unknown("SHOP_", &known, set),
            [
                ("SHOP_DATABSE_URL".to_owned(), "SHOP_DATABASE_URL"),
                ("SHOP_WORKER".to_owned(), "SHOP_WORKERS"),
            ]
        );
    }

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("same", "same"), 0);
    }
}
