// The official wasm SDK (@openim/wasm-client-sdk 3.8.5: the Go core compiled to wasm) in
// headless Debian Chromium, against im-server; plus wasm ↔ JS SDK cross-client messaging.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Admin } from '../lib/admin.js';
import { startStatic } from '../lib/static.js';
import { launchBrowser, WasmClient } from '../lib/browser.js';
import { JsClient, settleHttp } from '../lib/jsclient.js';
import { IDLE_MS, groupConversationID, singleConversationID, sleep, uniqueText } from '../lib/util.js';

let server;
let statics;
let browser;
let users; // [alice, bob, carol (JS SDK), idle, idlePeer (JS SDK)]
const wasmClients = [];
const jsClients = [];

/** A logged-in wasm client for `user` in a fresh browser context. */
async function wasmLoggedIn(user) {
  const c = new WasmClient(browser, user, server, statics.origin);
  wasmClients.push(c);
  await c.open();
  return c.login();
}

/** A logged-in JS SDK client for `user`. */
async function jsLoggedIn(user) {
  const c = new JsClient(user, server);
  jsClients.push(c);
  return c.login();
}

before(async () => {
  server = await startServer({ name: 'wasm-sdk' });
  statics = await startStatic();
  browser = await launchBrowser();
  const admin = await new Admin(server.apiAddr).login();
  users = await admin.newUsers('wasm', 5);
});

after(async () => {
  for (const c of jsClients) await c.logout().catch(() => {});
  await settleHttp();
  for (const c of wasmClients) await c.close();
  await browser?.close();
  await statics?.close();
  await server?.stop();
});

describe('wasm SDK (@openim/wasm-client-sdk in Chromium)', { concurrency: true }, () => {
  test(`connection survives ${IDLE_MS / 1000} s idle (server pings)`, { timeout: IDLE_MS + 120_000 }, async (t) => {
    const [, , , idleUser, peerUser] = users;
    const idle = await wasmLoggedIn(idleUser);
    const started = Date.now();
    await sleep(IDLE_MS);
    const sent = idle.sockets[0]?.outAt.filter((at) => at >= started).length;
    t.diagnostic(`frames the Go core sent while idle: ${sent} (it answers server pings with control frames, not shown)`);

    assert.equal(idle.sockets.length, 1, `the SDK reconnected: ${idle.sockets.length} sockets opened`);
    assert.equal(idle.sockets[0].closedAt, null, 'socket closed during the idle period');
    assert.equal(idle.events.all('OnConnecting').length, 1, 'OnConnecting fired again (reconnect)');
    assert.equal(idle.events.all('OnKickedOffline').length, 0);

    const peer = await jsLoggedIn(peerUser);
    const text = uniqueText('after idle');
    await peer.sendText(text, { recvID: idleUser.userID });
    const got = await idle.waitText(text);
    assert.equal(got.sendID, peerUser.userID);
    assert.equal(idle.sockets.length, 1);
  });

  describe('login, messaging, groups and history', { concurrency: false }, () => {
    let alice;
    let bob;
    let carol; // JS SDK
    const aliceBob = [];

    test('login and self info', async () => {
      const [a, b, c] = users;
      [alice, bob, carol] = await Promise.all([wasmLoggedIn(a), wasmLoggedIn(b), jsLoggedIn(c)]);
      const url = new URL(alice.sockets[0].url);
      assert.equal(url.searchParams.get('sendID'), a.userID);
      assert.equal(url.searchParams.get('compression'), 'gzip');
      const { data: self } = await alice.call('getSelfUserInfo');
      assert.equal(self.userID, a.userID);
      assert.equal(self.nickname, a.nickname);
    });

    test('1:1 text wasm alice → wasm bob fires OnRecvNewMessages on bob', async () => {
      const text = uniqueText('hello bob');
      const msg = await alice.sendText(text, { recvID: bob.user.userID });
      assert.ok(msg.serverMsgID, 'send result has a serverMsgID');
      assert.ok(msg.sendTime > 0, `send result sendTime ${msg.sendTime}`);
      const got = await bob.waitText(text);
      assert.equal(got.sendID, alice.user.userID);
      assert.equal(got.recvID, bob.user.userID);
      assert.equal(got.sessionType, 1);
      assert.equal(got.serverMsgID, msg.serverMsgID);
      assert.equal(got.clientMsgID, msg.clientMsgID);
      assert.ok(got.seq > 0, `received seq ${got.seq}`);
      aliceBob.push(text);
    });

    test('1:1 text wasm bob → wasm alice fires OnRecvNewMessages on alice', async () => {
      const text = uniqueText('hello alice');
      const msg = await bob.sendText(text, { recvID: alice.user.userID });
      const got = await alice.waitText(text);
      assert.equal(got.sendID, bob.user.userID);
      assert.equal(got.serverMsgID, msg.serverMsgID);
      assert.ok(got.seq > 1, `second message in the conversation has seq ${got.seq}`);
      aliceBob.push(text);
    });

    test('cross-client: wasm alice → JS SDK carol and back', async () => {
      const t1 = uniqueText('wasm to js');
      await alice.sendText(t1, { recvID: carol.user.userID });
      const got1 = await carol.waitText(t1);
      assert.equal(got1.sendID, alice.user.userID);
      assert.equal(got1.sessionType, 1);

      const t2 = uniqueText('js to wasm');
      await carol.sendText(t2, { recvID: alice.user.userID });
      const got2 = await alice.waitText(t2);
      assert.equal(got2.sendID, carol.user.userID);
    });

    test('group create: members get OnJoinedGroupAdded and group messages', async () => {
      const groupName = uniqueText('e2e group');
      const { data: group } = await alice.call('createGroup', {
        groupInfo: { groupName, groupType: 2 },
        memberUserIDs: [bob.user.userID, carol.user.userID],
        adminUserIDs: [],
        ownerUserID: alice.user.userID,
      });
      assert.ok(group.groupID, 'createGroup returned a groupID');
      assert.equal(group.groupName, groupName);
      const joined = (d) => d?.groupID === group.groupID;
      const [bobGroup, carolGroup] = await Promise.all([
        bob.events.waitFor('OnJoinedGroupAdded', joined, 20_000),
        carol.events.waitFor('OnJoinedGroupAdded', joined, 20_000),
      ]);
      assert.equal(bobGroup.groupName, groupName);
      assert.equal(carolGroup.groupName, groupName);
      const { data: bobGroups } = await bob.call('getJoinedGroupList');
      assert.ok(
        bobGroups.some((g) => g.groupID === group.groupID),
        `bob's joined groups: ${JSON.stringify(bobGroups.map((g) => g.groupID))}`,
      );

      const t1 = uniqueText('group hello');
      await alice.sendText(t1, { groupID: group.groupID });
      const [b1, c1] = await Promise.all([bob.waitText(t1), carol.waitText(t1)]);
      for (const m of [b1, c1]) {
        assert.equal(m.sendID, alice.user.userID);
        assert.equal(m.groupID, group.groupID);
        assert.equal(m.sessionType, 3);
      }

      const t2 = uniqueText('group reply');
      await bob.sendText(t2, { groupID: group.groupID });
      const [a2, c2] = await Promise.all([alice.waitText(t2), carol.waitText(t2)]);
      assert.equal(a2.sendID, bob.user.userID);
      assert.equal(c2.sendID, bob.user.userID);

      const { data: hist } = await carol.sdk.getAdvancedHistoryMessageList({
        conversationID: groupConversationID(group.groupID),
        count: 20,
        startClientMsgID: '',
        viewType: 0,
      });
      const texts = hist.messageList.map((m) => m.textElem?.content).filter(Boolean);
      assert.deepEqual(texts.slice(-2), [t1, t2], `carol's group history: ${JSON.stringify(texts)}`);
    });

    test('history on a fresh client after logout', async () => {
      await bob.logout();
      const fresh = await wasmLoggedIn(bob.user);
      const conversationID = singleConversationID(alice.user.userID, bob.user.userID);
      const { data } = await fresh.call('getAdvancedHistoryMessageList', {
        conversationID,
        count: 20,
        startClientMsgID: '',
        viewType: 0,
        lastMinSeq: 0,
      });
      const texts = data.messageList.map((m) => m.textElem?.content);
      assert.deepEqual(
        texts.filter((t) => aliceBob.includes(t)),
        aliceBob,
        `history of ${conversationID}: ${JSON.stringify(texts)}`,
      );
      const { data: convs } = await fresh.call('getAllConversationList');
      assert.ok(
        convs.some((c) => c.conversationID === conversationID),
        `fresh client's conversations: ${JSON.stringify(convs.map((c) => c.conversationID))}`,
      );
    });
  });
});
