//! What names stand for in a module or block: a binding per name and namespace ([`Ns`]), and
//! the glob imports. The [index](crate::detect::names::index) fills scopes; the [resolver](crate::detect::names::resolve)
//! reads them.

use crate::detect::source::store::FileId;
use crate::detect::syntax::items::Ns;
use std::collections::HashMap;
use std::rc::Rc;

/// Index of a module in the crate; the crate root is 0.
pub(crate) type ModId = usize;

/// What a name stands for.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    /// The user's own item, parameter or variable.
    Item,
    /// A module of this crate.
    Module(ModId),
    /// `use path as name;`.
    Import(Rc<Import>),
    /// An external path: `extern crate x as name;`, or a function declared in an `extern` block
    /// (the foreign crate's symbol).
    Extern(Rc<[String]>),
}

/// A `use` path, resolved from the module it is written in.
#[derive(Debug)]
pub(crate) struct Import {
    pub path: Vec<String>,
    pub absolute: bool,
    pub module: ModId,
}

/// A name's bindings in the type and value namespaces.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slot {
    pub ty: Option<Binding>,
    pub value: Option<Binding>,
}

impl Slot {
    /// The binding in `ns`.
    pub(crate) fn get(&self, ns: Ns) -> Option<&Binding> {
        match ns {
            Ns::Type => self.ty.as_ref(),
            Ns::Value => self.value.as_ref(),
        }
    }
}

/// The names visible in a module or block.
#[derive(Default, Debug)]
pub(crate) struct Scope {
    pub names: HashMap<String, Slot>,
    /// `use path::*;`: the paths imported from.
    pub globs: Vec<Rc<Import>>,
    /// Files `include!`d at item level, checked as part of this module.
    pub includes: Vec<FileId>,
}

impl Scope {
    /// Binds `name` in `ns`. An import never replaces the user's own item or module (a real
    /// conflict is rustc's to report).
    pub(crate) fn bind(&mut self, name: &str, ns: Ns, binding: Binding) {
        let slot = self.names.entry(name.to_owned()).or_default();
        let place = match ns {
            Ns::Type => &mut slot.ty,
            Ns::Value => &mut slot.value,
        };
        let keep = matches!(binding, Binding::Import(_))
            && matches!(place, Some(Binding::Item | Binding::Module(_)));
        if !keep {
            *place = Some(binding);
        }
    }

    /// Binds `name` in both namespaces (what an import or a variable may be).
    pub(crate) fn bind_both(&mut self, name: &str, binding: Binding) {
        self.bind(name, Ns::Type, binding.clone());
        self.bind(name, Ns::Value, binding);
    }

    /// Binds a local variable (value namespace only).
    pub(crate) fn bind_local(&mut self, name: &str) {
        self.bind(name, Ns::Value, Binding::Item);
    }
}
