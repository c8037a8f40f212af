//! Benchmark of the embedded store: puts/s, gets/s, counter increments/s and query pages/s,
//! printed as figures (run with `cargo run --profile dist -p im-bench --bin store-bench`).
//!
//! Options: `--ops N` (per phase, default 50000), `--concurrency C` (default 64),
//! `--dir PATH` (default: a fresh temporary directory).

use std::sync::Arc;
use std::time::{Duration, Instant};

use im_adapters::embedded::EmbeddedStore;
use im_bench::{Figures, timed};
use im_domain::TenantId;
use im_domain::store::{Consistency, DynStore, Item, Key, Query};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn phase<F, Fut>(name: &str, store: &DynStore, ops: usize, concurrency: usize, op: F) -> Figures
where
    F: Fn(DynStore, usize) -> Fut + Send + Sync + 'static + Clone,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let per_task = ops.div_ceil(concurrency);
    let mut handles = Vec::new();
    for t in 0..concurrency {
        let store = store.clone();
        let op = op.clone();
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per_task);
            for i in 0..per_task {
                let ((), d) = timed(op(store.clone(), t * per_task + i)).await;
                lat.push(d);
            }
            lat
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(ops);
    for h in handles {
        all.extend(h.await.unwrap_or_default());
    }
    Figures::new(name, start.elapsed(), all)
}

#[tokio::main]
async fn main() {
    let ops = arg("--ops", 50_000);
    let concurrency = arg("--concurrency", 64);
    let tmp = tempfile::tempdir().ok();
    let dir = std::env::args()
        .skip_while(|a| a != "--dir")
        .nth(1)
        .map(std::path::PathBuf::from)
        .or_else(|| tmp.as_ref().map(|t| t.path().to_path_buf()))
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let store: DynStore = match EmbeddedStore::open(dir.join("bench.redb")) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("open: {e}");
            std::process::exit(1);
        }
    };
    let t = TenantId::default();
    println!("embedded store benchmark: {ops} ops per phase, {concurrency} concurrent tasks, {} cores", cores());
    let key = move |i: usize| Key::new(&TenantId::default(), format!("bench#{}", i % 1000), format!("item#{i:09}"));
    let body = "x".repeat(200);

    let single = phase("put (1 task, fsync each)", &store, 500.min(ops), 1, {
        let body = body.clone();
        move |s, i| {
            let item = Item::new(Key::new(&TenantId::default(), "seq", format!("{i:09}"))).with("body", body.clone());
            async move {
                let _ = s.put(item, None).await;
            }
        }
    })
    .await;
    println!("{}", single.line());

    let puts = phase("put 200 B", &store, ops, concurrency, {
        let body = body.clone();
        move |s, i| {
            let item = Item::new(key(i)).with("body", body.clone()).with("n", i as i64);
            async move {
                let _ = s.put(item, None).await;
            }
        }
    })
    .await;
    println!("{}", puts.line());

    let gets = phase("get (strong)", &store, ops, concurrency, move |s, i| async move {
        let _ = s.get(&key(i), Consistency::Strong).await;
    })
    .await;
    println!("{}", gets.line());

    let hot = phase("ADD on one counter", &store, ops, concurrency, |s, _| async move {
        let _ = s.add(&Key::new(&TenantId::default(), "counter", "hot"), "n", 1).await;
    })
    .await;
    println!("{}", hot.line());

    let spread = phase("ADD on 10k counters", &store, ops, concurrency, |s, i| async move {
        let _ = s.add(&Key::new(&TenantId::default(), format!("counter#{}", i % 10_000), "c"), "n", 1).await;
    })
    .await;
    println!("{}", spread.line());

    let queries = phase("query page of 50", &store, ops / 10, concurrency, |s, i| async move {
        let q = Query::partition(&TenantId::default(), format!("bench#{}", i % 1000)).limit(50);
        let _ = s.query(&q).await;
    })
    .await;
    println!("{}", queries.line());

    let hot_value = store.get(&Key::new(&t, "counter", "hot"), Consistency::Strong).await.ok().flatten();
    println!("hot counter final value: {:?} (expected {})", hot_value.and_then(|i| i.n("n")), hot.ops);
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
