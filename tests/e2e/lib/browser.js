// The official wasm SDK (@openim/wasm-client-sdk: the Go core compiled to wasm) in headless
// Debian Chromium, driven by playwright-core. One browser; one fresh context (own IndexedDB,
// so a fresh local database) per client.
import { chromium } from 'playwright-core';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './server.js';
import { PLATFORM_WEB } from './admin.js';
import { Waiter } from './waiter.js';

/** Chromium binary (Debian's package; never downloaded). */
export const CHROMIUM = process.env.IM_E2E_CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Chromium (Playwright gives it a fresh temporary --user-data-dir and removes it on
 * close); returns { browser, close() }.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return { browser, close: () => browser.close().catch(() => {}) };
}

let clientSeq = 0;

/** One wasm SDK instance (one page in its own browser context) for one user. */
export class WasmClient {
  /** `user` = {userID, token}; `server` = {apiAddr, wsAddr}; `origin` = static server. */
  constructor(browserHandle, user, server, origin) {
    this.handle = browserHandle;
    this.user = user;
    this.server = server;
    this.origin = origin;
    this.events = new Waiter(`wasm:${user.userID}`);
    this.sockets = [];
    this.http = [];
    this.seq = ++clientSeq;
  }

  /** Opens the test page and waits until the SDK module is loaded. */
  async open() {
    const logDir = path.join(ROOT, 'tests', '.work', 'e2e');
    await mkdir(logDir, { recursive: true });
    this.logFile = path.join(logDir, `wasm-${this.user.userID}-${this.seq}.log`);
    this.log = createWriteStream(this.logFile);
    // A context of its own: separate IndexedDB, so each client starts with an empty local DB.
    this.context = await this.handle.browser.newContext();
    this.page = await this.context.newPage();
    this.page.on('console', (m) => this.log.write(`[console.${m.type()}] ${m.text()}\n`));
    this.page.on('pageerror', (e) => this.log.write(`[pageerror] ${e.stack || e}\n`));
    this.page.on('requestfinished', async (req) => {
      if (!req.url().startsWith(this.server.apiAddr) || req.method() === 'OPTIONS') return;
      const resp = await req.response().catch(() => null);
      this.http.push({ url: req.url(), status: resp?.status() });
      this.log.write(`[http] ${req.method()} ${req.url()} ${req.postData() ?? ''} -> ${resp?.status()}\n`);
    });
    this.page.on('requestfailed', (req) => {
      this.log.write(`[http-failed] ${req.method()} ${req.url()} ${req.failure()?.errorText}\n`);
    });
    this.page.on('websocket', (ws) => {
      const rec = { url: ws.url(), openedAt: Date.now(), closedAt: null, framesIn: 0, framesOut: 0, outAt: [] };
      this.sockets.push(rec);
      this.log.write(`[ws] open ${ws.url()}\n`);
      ws.on('framereceived', (f) => {
        rec.framesIn++;
        if (typeof f.payload === 'string') this.log.write(`[ws<-] text ${f.payload}\n`);
      });
      ws.on('framesent', () => {
        rec.framesOut++;
        rec.outAt.push(Date.now());
      });
      ws.on('close', () => {
        rec.closedAt = Date.now();
        this.log.write(`[ws] close ${ws.url()}\n`);
      });
    });
    await this.page.exposeFunction('__e2eEvent', (ev, json) => {
      let data = null;
      try {
        data = JSON.parse(json);
      } catch {
        data = json;
      }
      this.log.write(`[event] ${ev} ${json.slice(0, 2000)}\n`);
      this.events.push(ev, data);
    });
    await this.page.goto(`${this.origin}/index.html`);
    await this.page.waitForFunction(() => window.__ready === true, null, { timeout: 30_000 });
    return this;
  }

  /** Calls `window.IM[method](...args)` in the page; returns the WsResponse or throws. */
  async call(method, ...args) {
    const r = await this.page.evaluate(
      async ([m, a]) => {
        try {
          const res = await window.IM[m](...a);
          return { ok: true, res: JSON.parse(JSON.stringify(res ?? null)) };
        } catch (e) {
          let err;
          try {
            err = e instanceof Error ? `${e.name}: ${e.message}` : JSON.stringify(e);
          } catch {
            err = String(e);
          }
          return { ok: false, err };
        }
      },
      [method, args],
    );
    if (!r.ok) throw new Error(`wasm ${this.user.userID} ${method}: ${r.err}`);
    return r.res;
  }

  /** Logs in and waits for OnConnectSuccess and the end of the initial sync. */
  async login() {
    const ended = ['OnSyncServerFinish', 'OnSyncServerFailed', 'OnConnectFailed', 'OnUserTokenInvalid'];
    const synced = this.events.waitFor(ended, () => true, 60_000);
    synced.catch(() => {});
    await this.call('login', {
      userID: this.user.userID,
      token: this.user.token,
      platformID: PLATFORM_WEB,
      apiAddr: this.server.apiAddr,
      wsAddr: this.server.wsAddr,
      logLevel: Number(process.env.IM_E2E_WASM_LOG_LEVEL || 3),
      isLogStandardOutput: true,
    });
    await synced;
    const failed = this.events.log.find((e) => ended.slice(1).includes(e.event));
    if (failed) throw new Error(`wasm ${this.user.userID}: ${failed.event} ${JSON.stringify(failed.data)}`);
    return this;
  }

  /** Logs out. */
  async logout() {
    return this.call('logout');
  }

  /** Sends a text to `recvID` (1:1) or `groupID`; returns the sent MessageItem. */
  async sendText(text, { recvID = '', groupID = '' } = {}) {
    const { data: message } = await this.call('createTextMessage', text);
    const { data } = await this.call('sendMessage', { recvID, groupID, message });
    return data;
  }

  /** Waits for an OnRecvNewMessages batch holding a text message `text`. */
  async waitText(text, timeoutMs = 20_000) {
    return this.events.waitForMessage(['OnRecvNewMessages', 'OnRecvNewMessage'], text, timeoutMs);
  }

  /** Closes the page and its context. */
  async close() {
    await this.context?.close().catch(() => {});
    await new Promise((r) => (this.log ? this.log.end(r) : r()));
  }
}
