// Storage micro-bench (issue 16, goal 5), run in the page by storage.mjs. Plain JS doing what
// the app would do with its journal (log + outbox), four ways:
//   whole    localStorage, one key: parse at start, stringify + setItem of everything per action
//            (the app today, src/store.rs);
//   chunked  localStorage, events in 256-event chunk keys plus an outbox key holding the pending
//            events themselves: one setItem records an action; an ack appends to a chunk first,
//            then trims the outbox;
//   relaxed  IndexedDB, event and outbox entry in one readwrite transaction, durability 'relaxed';
//   strict   the same with durability 'strict'.
// Each returns plain numbers; the runner sets the CPU throttling and prints them.

const CHUNK = 256;
const CONTENT = 'officina.content';

/** An event as the app stores a pulled one (~257 B of JSON): completions and quiz attempts. */
function event(n) {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 37_000).toISOString();
  const quiz = n % 3 === 2;
  return {
    id: crypto.randomUUID(),
    user_id: '3f1c2a9e-8b7d-4c6e-9a5f-1d2e3f4a5b6c',
    kind: quiz ? 'quiz_submitted' : 'activity_completed',
    activity_id: quiz ? 'orbite-quiz' : `orbite-lezione-${n % 40}`,
    at,
    data: quiz ? { answers: [[1], [0, 2], 9.81], score: 100, passed: true } : {},
    received: { seq: n + 1, at },
  };
}

function events(count, from = 0) {
  return Array.from({ length: count }, (_, i) => event(from + i));
}

/** The programme's JSON beside the journal in the same origin, as in the app (358 KB). */
function storeContent() {
  localStorage.setItem(CONTENT, 'x'.repeat(358_000));
}

function timed(f) {
  const begun = performance.now();
  const value = f();
  return [performance.now() - begun, value];
}

async function timedAsync(f) {
  const begun = performance.now();
  const value = await f();
  return [performance.now() - begun, value];
}

// ---- localStorage, one key -------------------------------------------------------------------

const WHOLE = 'officina.journal';

function wholeJournal(list) {
  const log = {};
  for (const e of list) log[e.id] = e;
  return { log, outbox: [], rejected: {}, cursor: list.length };
}

function wholeRecord(journal, e) {
  journal.log[e.id] = e;
  journal.outbox.push(e.id);
  localStorage.setItem(WHOLE, JSON.stringify(journal));
}

const whole = {
  setup(count) {
    localStorage.clear();
    storeContent();
    const text = JSON.stringify(wholeJournal(events(count)));
    localStorage.setItem(WHOLE, text);
    return text.length;
  },
  start() {
    return timed(() => JSON.parse(localStorage.getItem(WHOLE)));
  },
  append(journal, n) {
    return timed(() => wholeRecord(journal, event(1_000_000 + n)))[0];
  },
};

// ---- localStorage, chunks + outbox ---------------------------------------------------------------

const chunkKey = (k) => `officina.journal.chunk.${k}`;
const OUTBOX = 'officina.journal.outbox';
const META = 'officina.journal.meta';

const chunked = {
  setup(count) {
    localStorage.clear();
    storeContent();
    const list = events(count);
    let bytes = 0;
    for (let k = 0; k * CHUNK < list.length; k++) {
      const text = JSON.stringify(list.slice(k * CHUNK, (k + 1) * CHUNK));
      localStorage.setItem(chunkKey(k), text);
      bytes += text.length;
    }
    localStorage.setItem(OUTBOX, '[]');
    localStorage.setItem(META, JSON.stringify({ chunks: Math.ceil(list.length / CHUNK), last: list.length % CHUNK || CHUNK, cursor: list.length }));
    return bytes;
  },
  start() {
    return timed(() => {
      const meta = JSON.parse(localStorage.getItem(META));
      const log = [];
      for (let k = 0; k < meta.chunks; k++) log.push(...JSON.parse(localStorage.getItem(chunkKey(k))));
      return { meta, log, outbox: JSON.parse(localStorage.getItem(OUTBOX)) };
    });
  },
  /** Records an action: the outbox key, with the event in it, in one setItem. */
  append(journal, n) {
    const e = event(1_000_000 + n);
    return timed(() => {
      journal.outbox.push(e);
      localStorage.setItem(OUTBOX, JSON.stringify(journal.outbox));
    })[0];
  },
  /** The server acknowledged the outbox: into the last chunk (a new one when full), then trim. */
  ack(journal) {
    return timed(() => {
      const meta = journal.meta;
      let last = JSON.parse(localStorage.getItem(chunkKey(meta.chunks - 1)));
      for (const e of journal.outbox) {
        if (last.length === CHUNK) {
          localStorage.setItem(chunkKey(meta.chunks - 1), JSON.stringify(last));
          meta.chunks += 1;
          last = [];
        }
        last.push(e);
      }
      localStorage.setItem(chunkKey(meta.chunks - 1), JSON.stringify(last));
      localStorage.setItem(META, JSON.stringify(meta));
      journal.outbox = [];
      localStorage.setItem(OUTBOX, '[]');
    })[0];
  },
};

// ---- IndexedDB ---------------------------------------------------------------------------------

const DB = 'officina-bench';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    tx.onerror = () => {};
  });
}

function open() {
  const r = indexedDB.open(DB, 1);
  r.onupgradeneeded = () => {
    const db = r.result;
    db.createObjectStore('events').createIndex('activity', 'activity', { unique: false });
    db.createObjectStore('outbox');
    db.createObjectStore('meta');
  };
  return request(r);
}

/** One event and its outbox entry in one transaction. Values are JSON text, as journal.js would
 *  keep them (no structured clone of the object, one string crossing from the wasm). */
async function idbRecord(db, e, durability) {
  const tx = db.transaction(['events', 'outbox'], 'readwrite', { durability });
  tx.objectStore('events').put({ json: JSON.stringify(e), activity: e.activity_id }, e.id);
  tx.objectStore('outbox').put(1, e.id);
  await done(tx);
}

function idb(durability) {
  return {
    async setup(count) {
      localStorage.clear();
      storeContent();
      await request(indexedDB.deleteDatabase(DB));
      const db = await open();
      const tx = db.transaction(['events', 'meta'], 'readwrite', { durability: 'relaxed' });
      let bytes = 0;
      for (const e of events(count)) {
        const json = JSON.stringify(e);
        bytes += json.length;
        tx.objectStore('events').put({ json, activity: e.activity_id }, e.id);
      }
      tx.objectStore('meta').put(JSON.stringify({ cursor: count, fold: 'x'.repeat(4_000) }), 'snapshot');
      await done(tx);
      db.close();
      return bytes;
    },
    /** Open, then what start-up needs once the app keeps a fold: the snapshot and the outbox
     *  count; and, for comparison with localStorage, reading and parsing every event. */
    async start() {
      const [opened, db] = await timedAsync(open);
      const [snapshot] = await timedAsync(async () => {
        const tx = db.transaction(['meta', 'outbox'], 'readonly');
        const meta = JSON.parse(await request(tx.objectStore('meta').get('snapshot')));
        return [meta, await request(tx.objectStore('outbox').count())];
      });
      const [all] = await timedAsync(async () => {
        const tx = db.transaction('events', 'readonly');
        return (await request(tx.objectStore('events').getAll())).map((v) => JSON.parse(v.json));
      });
      return { opened, snapshot, all, db };
    },
    append(db, n) {
      return timedAsync(() => idbRecord(db, event(1_000_000 + n), durability)).then(([ms]) => ms);
    },
    /** The server acknowledged these: they leave the outbox (the events stay). */
    async ack(db) {
      return (await timedAsync(async () => {
        const tx = db.transaction('outbox', 'readwrite', { durability });
        tx.objectStore('outbox').clear();
        await done(tx);
      }))[0];
    },
  };
}

const benches = { whole, chunked, relaxed: idb('relaxed'), strict: idb('strict') };

/** Stores `count` events the given way (untimed); the characters of event JSON stored. */
export function setup(kind, count) {
  return benches[kind].setup(count);
}

/** Start-up read, then `actions` appends one after the other, then (but for `whole`) one ack of
 *  them all. Milliseconds; run after a reload, as the app starts. */
export async function measure(kind, actions) {
  const bench = benches[kind];
  const started = await bench.start();
  const idb = kind === 'relaxed' || kind === 'strict';
  const [start, state] = idb ? [started.opened + started.snapshot, started.db] : started;
  const appends = [];
  for (let n = 0; n < actions; n++) appends.push(await bench.append(state, n));
  const ack = bench.ack ? await bench.ack(state) : null;
  if (idb) state.close();
  return { start, all: idb ? started.all : start, opened: idb ? started.opened : null, appends, ack };
}

// ---- quota ---------------------------------------------------------------------------------------

/** Appends until a write fails (or `seconds` pass); what failed, after how many, and what a
 *  reload finds. The whole journal is written per 100 events here, to reach its limit quickly. */
export function fillLocal(kind, count, seconds) {
  const bench = kind === 'whole' ? whole : chunked;
  bench.setup(count);
  let [, journal] = bench.start();
  const deadline = performance.now() + seconds * 1000;
  let added = 0;
  let error = 'none';
  try {
    while (performance.now() < deadline) {
      if (kind === 'whole') {
        for (const e of events(100, 2_000_000 + added)) journal.log[e.id] = e;
        localStorage.setItem(WHOLE, JSON.stringify(journal));
        added += 100;
      } else {
        chunked.append(journal, 2_000_000 + added);
        added += 1;
        if (journal.outbox.length >= 100) chunked.ack(journal);
      }
    }
  } catch (err) {
    error = err.name;
  }
  [, journal] = bench.start();
  // An ack cut short leaves events in a chunk and still in the outbox: the same ids, counted once.
  const ids = kind === 'whole' ? Object.keys(journal.log) : [...journal.log, ...journal.outbox].map((e) => e.id);
  const stored = new Set(ids).size;
  return { error, written: count + added, stored, usedChars: localChars() };
}

function localChars() {
  let chars = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    chars += key.length + localStorage.getItem(key).length;
  }
  return chars;
}

/** With the origin's quota already lowered by the runner: appends until a transaction aborts
 *  (or `seconds` pass); how many were shown as done, and what is stored. */
export async function fillIdb(durability, seconds) {
  const db = await open();
  const before = await request(db.transaction('events').objectStore('events').count());
  const deadline = performance.now() + seconds * 1000;
  let added = 0;
  let error = 'none';
  try {
    while (performance.now() < deadline) {
      await idbRecord(db, event(3_000_000 + added), durability);
      added += 1;
    }
  } catch (err) {
    error = err.name;
  }
  const tx = db.transaction(['events', 'outbox'], 'readonly');
  const stored = await request(tx.objectStore('events').count());
  const outbox = await request(tx.objectStore('outbox').count());
  db.close();
  const { usage, quota } = await navigator.storage.estimate();
  return { error, written: before + added, stored, outbox, added, usage, quota };
}

export async function usage() {
  return (await navigator.storage.estimate()).usage;
}
