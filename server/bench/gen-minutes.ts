/**
 * Load generator for the minutes relay, in a process of its own: stock y-websocket providers
 * (one Y.Doc each) editing shared documents at a steady rate with awareness (caret) changes,
 * timing each update from the moment its author made it to the moment each other editor of
 * the document applied it.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { minutesProvider, synced } from '../src/testing';
import { processHandlers, serve } from './lib/rpc';

export interface MinutesConnectArg {
  /** `ours`: the minutes socket with sign-in cookies; `yws`: @y/websocket-server at the root. */
  kind: 'ours' | 'yws';
  url: string;
  docs: Array<{ room: string; cookies: string[] }>;
}

export interface EditArg {
  durationMs: number;
  updatesPerSecond: number;
}

export interface EditResult {
  updates: number;
  relayMs: number[];
  /** Deliveries expected (each update to every other editor of its document) but not seen. */
  missing: number;
}

interface Editor {
  doc: Y.Doc;
  provider: WebsocketProvider;
  group: number;
}

type PolyfillOption = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>['WebSocketPolyfill'];

// Every provider adds a process 'exit' listener.
process.setMaxListeners(0);

const editors: Editor[] = [];
const groupSize = new Map<number, number>();
/** `${clientID}:${clock}` at the end of an update → when its author made it. */
const madeAt = new Map<string, number>();
const relayMs: number[] = [];
let delivered = 0;
let onDelivered: (() => void) | null = null;
const now = () => performance.timeOrigin + performance.now();

function keysOf(update: Uint8Array): string[] {
  const meta = Y.parseUpdateMeta(update);
  return [...meta.to.entries()].map(([client, clock]) => `${client}:${clock}`);
}

async function connect(arg: MinutesConnectArg): Promise<number> {
  const created: Editor[] = [];
  arg.docs.forEach((d, group) => {
    groupSize.set(group, d.cookies.length);
    for (const cookie of d.cookies) {
      const doc = new Y.Doc();
      const provider =
        arg.kind === 'ours'
          ? minutesProvider(arg.url, d.room, doc, cookie)
          : new WebsocketProvider(arg.url.replace(/^http/, 'ws'), d.room, doc, {
              WebSocketPolyfill: WebSocket as unknown as PolyfillOption,
              disableBc: true,
            });
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        const t = now();
        if (origin !== provider) {
          for (const k of keysOf(update)) madeAt.set(k, t);
          return;
        }
        for (const k of keysOf(update)) {
          const at = madeAt.get(k);
          if (at === undefined) continue;
          relayMs.push(t - at);
          delivered += 1;
        }
        onDelivered?.();
      });
      created.push({ doc, provider, group });
    }
  });
  await Promise.all(created.map((e) => synced(e.provider)));
  editors.push(...created);
  return editors.length;
}

function edit(arg: EditArg): Promise<EditResult> {
  relayMs.length = 0;
  delivered = 0;
  let updates = 0;
  let expected = 0;
  const period = 1000 / arg.updatesPerSecond;
  const stopAt = now() + arg.durationMs;
  return new Promise((resolve) => {
    let timersLeft = editors.length;
    const finish = () => {
      if (timersLeft > 0 || delivered < expected) return;
      onDelivered = null;
      resolve({ updates, relayMs: [...relayMs], missing: expected - delivered });
    };
    editors.forEach((e, i) => {
      const text = e.doc.getText('bench');
      const typeOne = () => {
        if (now() >= stopAt) {
          clearInterval(timer);
          timersLeft -= 1;
          finish();
          return;
        }
        text.insert(text.length, '议');
        updates += 1;
        expected += (groupSize.get(e.group) ?? 1) - 1;
        e.provider.awareness.setLocalStateField('caret', { index: text.length, at: updates });
      };
      let timer: NodeJS.Timeout = setTimeout(() => undefined, 0);
      // Editors start spread over one period, so the load is steady rather than in waves.
      setTimeout(
        () => {
          timer = setInterval(typeOne, period);
        },
        (i * period) / editors.length,
      );
    });
    onDelivered = finish;
    // If some update never arrives, stop waiting a while after the end and report it missing.
    setTimeout(() => {
      onDelivered = null;
      resolve({ updates, relayMs: [...relayMs], missing: expected - delivered });
    }, arg.durationMs + 60_000).unref();
  });
}

serve({
  ...processHandlers,
  connect: (arg: MinutesConnectArg) => connect(arg),
  edit: (arg: EditArg) => edit(arg),
  close: () => {
    for (const e of editors.splice(0)) {
      e.provider.destroy();
      e.doc.destroy();
    }
    madeAt.clear();
    return null;
  },
});
