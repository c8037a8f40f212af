//! Durability: acknowledged writes survive SIGKILL of the writing process.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use im_adapters::embedded::EmbeddedStore;
use im_domain::TenantId;
use im_domain::store::{Consistency, Key, Query, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dur.redb");
    let mut puts = BTreeSet::new();
    let mut max_add = 0i64;
    let mut utps = BTreeSet::new();
    for round in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_durability-writer"))
            .arg(&path)
            .arg(format!("r{round}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        let record = |line: &str, puts: &mut BTreeSet<String>, max_add: &mut i64, utps: &mut BTreeSet<i64>| {
            if let Some(sk) = line.strip_prefix("put ") {
                puts.insert(sk.to_string());
            } else if let Some(v) = line.strip_prefix("add ") {
                *max_add = (*max_add).max(v.parse().expect("number"));
            } else if let Some(v) = line.strip_prefix("utp ") {
                utps.insert(v.parse::<i64>().expect("number"));
            }
        };
        // Let it acknowledge a good number of writes (three kinds in turn), then kill it mid-flight.
        while seen < 2300 + round * 750 {
            let line = lines.next().expect("writer ended early").expect("read");
            record(&line, &mut puts, &mut max_add, &mut utps);
            seen += 1;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        // Lines already written to the pipe were acknowledged before the kill.
        for line in lines.map_while(Result::ok) {
            record(&line, &mut puts, &mut max_add, &mut utps);
        }
    }
    let store = EmbeddedStore::open(&path).expect("reopen");
    let tenant = TenantId::default();
    let mut found = BTreeSet::new();
    let mut utp_found = BTreeSet::new();
    let mut cursor = None;
    loop {
        let page =
            store.query(&Query::partition(&tenant, "durability").limit(1000).after(cursor)).await.expect("query");
        for item in &page.items {
            if item.key.sk.starts_with("m-") {
                utp_found.insert(item.n("n").expect("n of an update-then-put item"));
            } else if item.key.sk != "counter" && item.key.sk != "seqhead" {
                found.insert(item.key.sk.clone());
            }
        }
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    let missing: Vec<_> = puts.difference(&found).take(5).collect();
    assert!(missing.is_empty(), "{} acknowledged puts lost, e.g. {missing:?}", puts.difference(&found).count());
    let counter = store.get(&Key::new(&tenant, "durability", "counter"), Consistency::Strong).await.expect("get");
    let n = counter.and_then(|c| c.n("n")).unwrap_or(0);
    assert!(n >= max_add, "counter {n} is below the acknowledged value {max_add}");
    assert!(puts.len() >= 2000, "only {} acknowledged puts observed", puts.len());
    // Update-then-put: every acknowledged pair survived, and no put survived without its update
    // (each stored m-<n> is at most the head, the head at least every acknowledged n).
    let lost: Vec<_> = utps.difference(&utp_found).take(5).collect();
    assert!(lost.is_empty(), "acknowledged update-then-put items lost, e.g. {lost:?}");
    let head = store.get(&Key::new(&tenant, "durability", "seqhead"), Consistency::Strong).await.expect("get");
    let head = head.and_then(|h| h.n("max")).unwrap_or(0);
    let top = utp_found.iter().next_back().copied().unwrap_or(0);
    assert!(head >= top, "an item m-{top} survived beyond its head {head}");
    assert!(utps.len() >= 500, "only {} acknowledged update-then-puts observed", utps.len());
    println!(
        "acknowledged puts {} all found; counter {n} >= acknowledged {max_add}; update-then-puts {} all found, head {head}",
        puts.len(),
        utps.len()
    );
}
