// Mirrors: a code-forge API client: `fork` a repository through the web API, a `ForkRequest`
// body and a `forks` count; the word is the forge's, not the kernel's.

struct ForkRequest<'a> {
    owner: &'a str,
    repo: &'a str,
}

trait Forge {
    fn fork(&self, request: &ForkRequest<'_>) -> String;
}

struct Client {
    forks: usize,
}

impl Forge for Client {
    fn fork(&self, request: &ForkRequest<'_>) -> String {
        format!("/repos/{}/{}/forks?n={}", request.owner, request.repo, self.forks)
    }
}

#[twelve_factor::main]
async fn main() {
    let client = Client { forks: 0 };
    let url = client.fork(&ForkRequest { owner: "me", repo: "svc" });
    assert!(url.ends_with("n=0"));
}
