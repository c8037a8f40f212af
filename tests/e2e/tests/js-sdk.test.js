// The official pure-JS SDK (@openim/client-sdk 0.0.14) in Node with `ws`, against im-server.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Admin } from '../lib/admin.js';
import { JsClient, settleHttp, textOf } from '../lib/jsclient.js';
import { IDLE_MS, singleConversationID, sleep, uniqueText } from '../lib/util.js';

let server;
let users; // [alice, bob, idle, idlePeer]
const clients = [];

/** A logged-in JS SDK client for `user`, logged out at the end. */
async function loggedIn(user) {
  const c = new JsClient(user, server);
  clients.push(c);
  return c.login();
}

before(async () => {
  server = await startServer({ name: 'js-sdk' });
  const admin = await new Admin(server.apiAddr).login();
  users = await admin.newUsers('js', 4);
});

after(async () => {
  for (const c of clients) await c.logout().catch(() => {});
  await settleHttp();
  await server?.stop();
});

describe('JS SDK (@openim/client-sdk in Node)', { concurrency: true }, () => {
  test(`connection survives ${IDLE_MS / 1000} s idle (text ping/pong)`, { timeout: IDLE_MS + 60_000 }, async () => {
    const [, , idleUser, peerUser] = users;
    const idle = await loggedIn(idleUser);
    const started = Date.now();
    await sleep(IDLE_MS);

    const socks = idle.sockets();
    assert.equal(socks.length, 1, `the SDK reconnected: ${socks.length} sockets opened`);
    assert.equal(socks[0].closedAt, null, `socket closed with code ${socks[0].closeCode}`);
    assert.equal(idle.events.all('OnConnecting').length, 1, 'OnConnecting fired again (reconnect)');
    assert.equal(idle.events.all('OnKickedOffline').length, 0);
    const pings = socks[0].textOut.filter((f) => f.at >= started && JSON.parse(f.text).type === 'ping');
    const pongs = socks[0].textIn.filter((f) => f.at >= started && /"type"\s*:\s*"pong"/.test(f.text));
    assert.ok(pings.length >= IDLE_MS / 10_000 - 1, `only ${pings.length} pings sent`);
    assert.ok(pongs.length >= pings.length - 1, `${pings.length} pings but ${pongs.length} pongs`);

    // Still delivering on that same socket.
    const peer = await loggedIn(peerUser);
    const text = uniqueText('after idle');
    await peer.sendText(text, { recvID: idleUser.userID });
    const got = await idle.waitText(text);
    assert.equal(got.sendID, peerUser.userID);
    assert.equal(idle.sockets().length, 1);
  });

  describe('login, messaging and history', { concurrency: false }, () => {
    let alice;
    let bob;
    const sent = [];

    test('login and self info', async () => {
      const [a, b] = users;
      alice = await loggedIn(a);
      bob = await loggedIn(b);
      const url = new URL(alice.sockets()[0].url);
      assert.equal(url.searchParams.get('sdkType'), 'js');
      const { data: self } = await alice.sdk.getSelfUserInfo();
      assert.equal(self.userID, a.userID);
      assert.equal(self.nickname, a.nickname);
      const { data: others } = await alice.sdk.getUsersInfo([b.userID]);
      assert.equal(others.length, 1);
      assert.equal(others[0].userID, b.userID);
      assert.equal(others[0].nickname, b.nickname);
    });

    test('1:1 text alice → bob fires OnRecvNewMessages on bob', async () => {
      const text = uniqueText('hello bob');
      const msg = await alice.sendText(text, { recvID: bob.user.userID });
      assert.ok(msg.serverMsgID, 'send result has a serverMsgID');
      assert.ok(msg.sendTime > 0, `send result sendTime ${msg.sendTime}`);
      const got = await bob.waitText(text);
      assert.equal(got.sendID, alice.user.userID);
      assert.equal(got.recvID, bob.user.userID);
      assert.equal(got.sessionType, 1);
      assert.equal(got.contentType, 101);
      assert.equal(got.serverMsgID, msg.serverMsgID);
      assert.equal(got.clientMsgID, msg.clientMsgID);
      assert.ok(got.seq > 0, `received seq ${got.seq}`);
      assert.equal(got.senderNickname, alice.user.nickname);
      sent.push(text);
    });

    test('1:1 text bob → alice fires OnRecvNewMessages on alice', async () => {
      const text = uniqueText('hello alice');
      const msg = await bob.sendText(text, { recvID: alice.user.userID });
      const got = await alice.waitText(text);
      assert.equal(got.sendID, bob.user.userID);
      assert.equal(got.serverMsgID, msg.serverMsgID);
      assert.ok(got.seq > 1, `second message in the conversation has seq ${got.seq}`);
      sent.push(text);
    });

    test('history on a fresh client after logout', async () => {
      await bob.logout();
      const fresh = await loggedIn(bob.user);
      const conversationID = singleConversationID(alice.user.userID, bob.user.userID);
      const { data } = await fresh.sdk.getAdvancedHistoryMessageList({
        conversationID,
        count: 20,
        startClientMsgID: '',
        viewType: 0,
      });
      const texts = data.messageList.map(textOf);
      assert.deepEqual(
        texts.filter((t) => sent.includes(t)),
        sent,
        `history of ${conversationID}: ${JSON.stringify(texts)}`,
      );
      const { data: conv } = await fresh.sdk.getOneConversation({ sourceID: alice.user.userID, sessionType: 1 });
      assert.equal(conv.conversationID, conversationID);
    });
  });
});
