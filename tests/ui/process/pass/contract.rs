// The table the derive builds: kebab-case names, `name` overrides, the first paragraph of each
// doc comment, `default` and `one_off`; and the variant ↔ index mapping.
use twelve_factor::{Process, ProcessType};

/// What this binary runs.
#[derive(Debug, PartialEq, Process)]
enum Kind {
    /// Serves HTTP
    /// on PORT.
    ///
    /// This second paragraph is not part of the description.
    #[process(default)]
    Web,
    /// Sends the daily digest, then exits.
    #[process(one_off)]
    SendDigest,
    #[process(name = "migrate", one_off)]
    Release,
}

fn main() {
    assert_eq!(
        Kind::TYPES,
        [
            ProcessType {
                name: "web",
                doc: "Serves HTTP on PORT.",
                one_off: false,
                default: true,
            },
            ProcessType {
                name: "send-digest",
                doc: "Sends the daily digest, then exits.",
                one_off: true,
                default: false,
            },
            ProcessType {
                name: "migrate",
                doc: "",
                one_off: true,
                default: false,
            },
        ]
    );
    for (index, kind) in [Kind::Web, Kind::SendDigest, Kind::Release]
        .into_iter()
        .enumerate()
    {
        assert_eq!(kind.index(), index);
        assert_eq!(kind.name(), Kind::TYPES[index].name);
        assert_eq!(Kind::from_index(index), Some(kind));
    }
    assert_eq!(Kind::from_index(3), None);
    assert_eq!(Kind::from_name("migrate"), Some(Kind::Release));
    assert_eq!(Kind::from_name("release"), None);
}
