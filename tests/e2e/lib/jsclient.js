// The official pure-JS SDK (@openim/client-sdk) in Node, with the `ws` package as WebSocket.
// Every socket the SDK opens is recorded (URL, frames, close) so tests can assert on the wire.
import { WebSocket as WsSocket } from 'ws';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.js';
import { getSDK, CbEvents, LogLevel } from '@openim/client-sdk';
import { PLATFORM_WEB } from './admin.js';
import { Waiter } from './waiter.js';

const logDir = path.join(ROOT, 'tests', '.work', 'e2e');
mkdirSync(logDir, { recursive: true });
/** Wire log of every JS SDK client in this process (HTTP calls and WebSocket frames). */
export const WIRE_LOG = path.join(logDir, `js-sdk-${process.pid}.log`);
const wire = createWriteStream(WIRE_LOG);
const cut = (s, n = 600) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s);

const realFetch = globalThis.fetch;
/** HTTP activity of the SDK clients: requests in flight, when the last one started. */
const http = { inFlight: 0, lastStart: 0, stopping: false };
globalThis.fetch = async (url, init = {}) => {
  const body = init.body instanceof Uint8Array ? `<${init.body.length} bytes protobuf>` : String(init.body ?? '');
  http.inFlight += 1;
  http.lastStart = Date.now();
  let resp;
  try {
    resp = await realFetch(url, init);
  } catch (e) {
    // After the suite stopped its server, the SDK's own background requests (e.g. syncing after a
    // push that arrived as the last test ended) fail; they are not what a test checks, and the
    // SDK does not catch them, so an unhandled rejection would fail the file.
    if (!http.stopping) throw e;
    wire.write(`[http] ${init.method ?? 'GET'} ${url} after the server stopped: ${e.message}\n`);
    return new Response(JSON.stringify({ errCode: 500, errMsg: 'server stopped', errDlt: '' }), { status: 503 });
  } finally {
    http.inFlight -= 1;
  }
  const text = await resp.clone().text();
  let user = '';
  try {
    user = JSON.parse(Buffer.from(String(init.headers?.token).split('.')[1], 'base64url')).UserID;
  } catch {
    // no or foreign token
  }
  const op = init.headers?.operationID;
  wire.write(`[http ${user} op=${op}] ${init.method ?? 'GET'} ${url} ${cut(body)} -> ${resp.status} ${cut(text)}\n`);
  return resp;
};

/**
 * Waits until the SDK clients' HTTP activity has settled (nothing in flight and nothing started
 * for `quietMs`, at most `maxMs`), then lets later requests fail quietly: call before stopping the
 * server the clients talk to.
 */
export async function settleHttp(quietMs = 500, maxMs = 5000) {
  const until = Date.now() + maxMs;
  while (Date.now() < until && (http.inFlight > 0 || Date.now() - http.lastStart < quietMs)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  http.stopping = true;
}

/** Every socket the JS SDK opened in this process. */
export const sockets = [];

/** `ws` WebSocket that records its traffic. */
class RecordingWebSocket extends WsSocket {
  constructor(url, ...rest) {
    super(url, ...rest);
    // A browser's default: the SDK reads binary frames with Blob.arrayBuffer().
    this.binaryType = 'blob';
    const rec = {
      url: String(url),
      sendID: new URL(String(url)).searchParams.get('sendID'),
      openedAt: null,
      closedAt: null,
      closeCode: null,
      textIn: [],
      textOut: [],
      binaryIn: 0,
      binaryOut: 0,
    };
    sockets.push(rec);
    this.rec = rec;
    const who = rec.sendID;
    this.on('open', () => {
      rec.openedAt = Date.now();
      wire.write(`[ws ${who}] open ${rec.url}\n`);
    });
    this.on('close', (code, reason) => {
      rec.closedAt = Date.now();
      rec.closeCode = code;
      wire.write(`[ws ${who}] close ${code} ${reason}\n`);
    });
    this.on('message', async (data, isBinary) => {
      if (isBinary) {
        rec.binaryIn++;
        const text = typeof data.text === 'function' ? await data.text() : Buffer.from(data).toString();
        wire.write(`[ws ${who} <-] ${cut(text)}\n`);
      } else {
        rec.textIn.push({ at: Date.now(), text: data.toString() });
        wire.write(`[ws ${who} <-] text ${data.toString()}\n`);
      }
    });
  }

  send(data, ...rest) {
    if (typeof data === 'string') {
      this.rec.textOut.push({ at: Date.now(), text: data });
      wire.write(`[ws ${this.rec.sendID} ->] text ${data}\n`);
    } else {
      this.rec.binaryOut++;
      wire.write(`[ws ${this.rec.sendID} ->] ${cut(Buffer.from(data).toString())}\n`);
    }
    return super.send(data, ...rest);
  }
}
globalThis.WebSocket = RecordingWebSocket;

const LISTENED = [
  CbEvents.OnConnectSuccess,
  CbEvents.OnConnectFailed,
  CbEvents.OnConnecting,
  CbEvents.OnKickedOffline,
  CbEvents.OnUserTokenExpired,
  CbEvents.OnUserTokenInvalid,
  CbEvents.OnRecvNewMessages,
  CbEvents.OnRecvNewMessage,
  CbEvents.OnNewConversation,
  CbEvents.OnConversationChanged,
  CbEvents.OnJoinedGroupAdded,
  CbEvents.OnSyncServerFinish,
  CbEvents.OnSyncServerFailed,
];

/** One JS SDK instance logged in as one user. */
export class JsClient {
  /** `user` = {userID, token}; `server` = {apiAddr, wsAddr}. */
  constructor(user, server) {
    this.user = user;
    this.server = server;
    this.sdk = getSDK();
    this.events = new Waiter(`js:${user.userID}`);
    for (const ev of LISTENED) this.sdk.on(ev, (e) => this.events.push(ev, e?.data ?? e));
  }

  /** This client's sockets (by sendID). */
  sockets() {
    return sockets.filter((s) => s.sendID === this.user.userID);
  }

  /** Logs in and waits for OnConnectSuccess and the end of the initial sync. */
  async login() {
    const synced = this.events.waitFor(
      [CbEvents.OnSyncServerFinish, CbEvents.OnSyncServerFailed, CbEvents.OnConnectFailed],
      () => true,
      20_000,
    );
    synced.catch(() => {});
    await this.sdk.login({
      userID: this.user.userID,
      token: this.user.token,
      platformID: PLATFORM_WEB,
      apiAddr: this.server.apiAddr,
      wsAddr: this.server.wsAddr,
      logLevel: LogLevel.Warn,
    });
    await synced;
    const failed = this.events.log.find(
      (e) => e.event === CbEvents.OnSyncServerFailed || e.event === CbEvents.OnConnectFailed,
    );
    if (failed) throw new Error(`${this.user.userID}: ${failed.event} ${JSON.stringify(failed.data)}`);
    return this;
  }

  /** Logs out (the SDK closes its socket). */
  async logout() {
    await this.sdk.logout();
  }

  /** Sends a text to `recvID` (1:1) or `groupID`; returns the sent MessageItem. */
  async sendText(text, { recvID = '', groupID = '' } = {}) {
    const { data: message } = await this.sdk.createTextMessage(text);
    const { data } = await this.sdk.sendMessage({ recvID, groupID, message });
    return data;
  }

  /** Waits for an OnRecvNewMessages/OnRecvNewMessage batch holding a text message `text`. */
  async waitText(text, timeoutMs = 15_000) {
    return this.events.waitForMessage([CbEvents.OnRecvNewMessages, CbEvents.OnRecvNewMessage], text, timeoutMs);
  }
}

/** Text of a MessageItem (JS and wasm SDKs both fill textElem.content). */
export function textOf(m) {
  return m?.textElem?.content ?? (() => {
    try {
      return JSON.parse(m?.content ?? '{}').content;
    } catch {
      return undefined;
    }
  })();
}
