pub mod child;

// Support module for deny/bom_module_file.rs: starts with a byte-order mark.
