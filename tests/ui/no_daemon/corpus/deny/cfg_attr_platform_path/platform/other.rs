pub fn detach() {}
