// Test page side: one @openim/wasm-client-sdk instance, its callbacks forwarded to the test
// runner through window.__e2eEvent (a Playwright binding), and its API on window.IM.
import { getSDK, CbEvents } from '/sdk/index.es.js';

const IM = getSDK({ coreWasmPath: '/assets/openIM.wasm', sqlWasmPath: '/assets/sql-wasm.wasm', debug: false });

for (const ev of Object.values(CbEvents)) {
  IM.on(ev, (e) => {
    try {
      window.__e2eEvent?.(ev, JSON.stringify(e?.data ?? null));
    } catch (err) {
      console.error('forwarding', ev, err);
    }
  });
}

window.IM = IM;
window.CbEvents = CbEvents;
window.__ready = true;
document.getElementById('status').textContent = 'ready';
