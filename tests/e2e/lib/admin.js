// The admin side of the HTTP API: admin token, user registration, user tokens.
import { randomUUID } from 'node:crypto';

/** Secret and admin user of a default im-server. */
export const ADMIN = { secret: 'openIM123', userID: 'imAdmin' };

/** Platform IDs used by the tests (OpenIM: 5 = Web). */
export const PLATFORM_WEB = 5;

/** Calls `POST apiAddr+path` with OpenIM's headers; returns `data` or throws on errCode != 0. */
export async function call(apiAddr, path, body, token) {
  const headers = { 'content-type': 'application/json', operationID: randomUUID() };
  if (token) headers.token = token;
  const resp = await fetch(apiAddr + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await resp.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path}: HTTP ${resp.status} non-JSON reply: ${text.slice(0, 300)}`);
  }
  if (!resp.ok || json.errCode !== 0) {
    const err = new Error(`${path}: HTTP ${resp.status} errCode ${json.errCode} ${json.errMsg} ${json.errDlt || ''}`);
    err.errCode = json.errCode;
    throw err;
  }
  return json.data;
}

/** An admin session on one server. */
export class Admin {
  constructor(apiAddr) {
    this.apiAddr = apiAddr;
    this.token = null;
  }

  /** Gets the admin token (`/auth/get_admin_token`). */
  async login() {
    const data = await call(this.apiAddr, '/auth/get_admin_token', ADMIN);
    this.token = data.token;
    return this;
  }

  /** Admin-authenticated call. */
  call(path, body) {
    return call(this.apiAddr, path, body, this.token);
  }

  /** Registers users (`/user/user_register`): [{userID, nickname, faceURL}]. */
  async register(users) {
    await this.call('/user/user_register', { users: users.map((u) => ({ faceURL: '', ...u })) });
  }

  /** A user token for `platformID` (`/auth/get_user_token`). */
  async userToken(userID, platformID = PLATFORM_WEB) {
    const data = await this.call('/auth/get_user_token', { userID, platformID });
    return data.token;
  }

  /**
   * Registers fresh users named `<prefix>_<n>_<random>` and returns
   * [{userID, nickname, token}] with Web tokens.
   */
  async newUsers(prefix, n) {
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: n }, (_, i) => ({ userID: `${prefix}${i}_${tag}`, nickname: `${prefix} ${i}` }));
    await this.register(users);
    return Promise.all(users.map(async (u) => ({ ...u, token: await this.userToken(u.userID) })));
  }
}
