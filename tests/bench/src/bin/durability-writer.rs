//! Test helper: writes to an embedded store as fast as it can and prints one line per
//! acknowledged write (`put <sk>`, `add <value>`, or `utp <n>` for an update-then-put that
//! advanced `seqhead` to n and stored `m-<n>`), until killed. The durability test
//! SIGKILLs it and checks that every acknowledged write survived.

use std::io::Write;
use std::sync::Arc;

use im_adapters::embedded::EmbeddedStore;
use im_domain::TenantId;
use im_domain::store::{Item, Key, PutAfter, Store, Update};
use tokio::sync::mpsc;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: durability-writer <db-file> [run-id]");
        std::process::exit(2);
    };
    let run = std::env::args().nth(2).unwrap_or_default();
    let store = match EmbeddedStore::open(&path) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("open: {e}");
            std::process::exit(1);
        }
    };
    let tenant = TenantId::default();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    for task in 0..16u64 {
        let store = store.clone();
        let tenant = tenant.clone();
        let tx = tx.clone();
        let run = run.clone();
        tokio::spawn(async move {
            for i in 0u64.. {
                let sk = format!("{run}-{task:02}-{i:010}");
                let item = Item::new(Key::new(&tenant, "durability", sk.clone())).with("v", i as i64);
                if store.put(item, None).await.is_ok() && tx.send(format!("put {sk}")).is_err() {
                    return;
                }
                if let Ok(v) = store.add(&Key::new(&tenant, "durability", "counter"), "n", 1).await
                    && tx.send(format!("add {v}")).is_err()
                {
                    return;
                }
                let head = Key::new(&tenant, "durability", "seqhead");
                let t = tenant.clone();
                let then: PutAfter = Box::new(move |h: &Item| {
                    let n = h.n("max").unwrap_or(0);
                    Ok(Item::new(Key::new(&t, "durability", format!("m-{n:010}"))).with("n", n))
                });
                let acked = store.update_then_put(&head, &Update::new().add("max", 1), None, then, None).await;
                if let Ok((h, Ok(()))) = acked
                    && tx.send(format!("utp {}", h.n("max").unwrap_or(0))).is_err()
                {
                    return;
                }
            }
        });
    }
    drop(tx);
    let mut out = std::io::stdout().lock();
    while let Some(line) = rx.recv().await {
        if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}
