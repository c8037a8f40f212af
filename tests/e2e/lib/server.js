// Starts and stops an im-server (the debug binary) on free 127.0.0.1 ports with a temp data dir.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, mkdir, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The im-server binary the tests run (override with IM_E2E_SERVER_BIN). */
export const SERVER_BIN = process.env.IM_E2E_SERVER_BIN || path.join(ROOT, 'target', 'debug', 'im-server');

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200 or `timeoutMs` passes. */
async function waitHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`im-server exited with ${child.exitCode} before ${url} answered`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`${url} never answered (${last})`);
}

/** Waits until something accepts TCP connections on 127.0.0.1:`port`. */
async function waitTcp(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`im-server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Starts im-server. Settings go through its environment variables (IM_HTTP_ADDR, IM_WS_ADDR,
 * IM_DATA_DIR, IM_CONNECTIONS_ADDR), so options a build does not know yet are simply ignored.
 * Returns { apiAddr, wsAddr, httpPort, wsPort, logFile, stop() }.
 */
export async function startServer({ name = 'e2e', logDir } = {}) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} missing: run \`cargo build -p im-server\` first (tests/e2e/run.sh does)`);
  }
  const [httpPort, wsPort, connPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `im-e2e-${name}-`));
  const logs = logDir || path.join(ROOT, 'tests', '.work', 'e2e');
  await mkdir(logs, { recursive: true });
  const logFile = path.join(logs, `im-server-${name}.log`);
  const log = await open(logFile, 'w');
  const env = {
    ...process.env,
    IM_HTTP_ADDR: `127.0.0.1:${httpPort}`,
    IM_WS_ADDR: `127.0.0.1:${wsPort}`,
    IM_CONNECTIONS_ADDR: `127.0.0.1:${connPort}`,
    IM_DATA_DIR: dataDir,
    IM_BACKEND: 'embedded',
    IM_LOG_LEVEL: process.env.IM_E2E_LOG_LEVEL || 'info',
  };
  const child = spawn(SERVER_BIN, [], { env, stdio: ['ignore', log.fd, log.fd] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await log.close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHttp(`http://127.0.0.1:${httpPort}/healthz`, child, 30_000);
    const wsUp = await waitTcp(wsPort, child, 5_000);
    return {
      apiAddr: `http://127.0.0.1:${httpPort}`,
      wsAddr: `ws://127.0.0.1:${wsPort}`,
      httpPort,
      wsPort,
      wsUp,
      logFile,
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`${e.message} (log: ${logFile})`);
  }
}
