// `crate = "…"` when the facade is renamed; a single type, not the default, with a raw name.
extern crate twelve_factor as tf;

#[derive(tf::Process)]
#[process(crate = "tf")]
enum Kind {
    r#Loop,
}

fn main() {
    let names: Vec<&str> = <Kind as tf::Process>::TYPES
        .iter()
        .map(|kind| kind.name)
        .collect();
    assert_eq!(names, ["loop"]);
    assert!(!<Kind as tf::Process>::TYPES[0].default);
    assert_eq!(tf::Process::index(&Kind::Loop), 0);
}
