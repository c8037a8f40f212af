// Records callback events and lets tests wait for one that matches.

/** An event log with waiting. */
export class Waiter {
  constructor(name) {
    this.name = name;
    this.log = [];
    this.waiters = [];
  }

  /** Records `event` with `data` and wakes matching waiters. */
  push(event, data) {
    const entry = { event, data, at: Date.now() };
    this.log.push(entry);
    this.waiters = this.waiters.filter((w) => {
      if (w.events.includes(event) && w.pred(data)) {
        clearTimeout(w.timer);
        w.resolve(data);
        return false;
      }
      return true;
    });
  }

  /** Events named `event` so far. */
  all(event) {
    return this.log.filter((e) => e.event === event).map((e) => e.data);
  }

  /** Resolves with the first past or future `event` whose data satisfies `pred`. */
  waitFor(event, pred = () => true, timeoutMs = 15_000) {
    const events = Array.isArray(event) ? event : [event];
    const past = this.log.find((e) => events.includes(e.event) && pred(e.data));
    if (past) return Promise.resolve(past.data);
    return new Promise((resolve, reject) => {
      const w = { events, pred, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        const seen = this.log.map((e) => e.event).join(', ') || 'none';
        reject(new Error(`${this.name}: no ${events.join('/')} matching within ${timeoutMs} ms (events seen: ${seen})`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits for a message-list (or single message) event holding a text message `text`. */
  waitForMessage(events, text, timeoutMs) {
    const has = (d) => (Array.isArray(d) ? d : [d]).some((m) => textOfAny(m) === text);
    return this.waitFor(events, has, timeoutMs).then((d) => (Array.isArray(d) ? d : [d]).find((m) => textOfAny(m) === text));
  }
}

function textOfAny(m) {
  if (!m) return undefined;
  if (m.textElem?.content !== undefined) return m.textElem.content;
  try {
    return JSON.parse(m.content ?? '{}').content;
  } catch {
    return undefined;
  }
}
