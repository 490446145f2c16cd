/**
 * A lean Socket.IO client for load generation: the Engine.IO v4 / Socket.IO v5 wire protocol
 * over a `ws` WebSocket, to the real server. It answers pings, sends events with ack ids and
 * hands incoming frames over as text, so a generator can count thousands of connections' frames
 * without decoding each one (socket.io-client would make the generator the bottleneck on two
 * cores). Only text frames; no binary attachments, no reconnection.
 */
import WebSocket from 'ws';

export interface WireOptions {
  cookie?: string;
  /** Extra query string for the handshake (the bare baselines take the member id from it). */
  query?: string;
}

export class WireClient {
  private nextAck = 0;
  private readonly acks = new Map<number, (json: string) => void>();
  /** Every incoming event frame, as its raw text (`42["name",…]`). */
  onEvent: ((text: string) => void) | null = null;
  /** Incoming frames of any kind except pings. */
  received = 0;

  private constructor(private readonly ws: WebSocket) {}

  static connect(url: string, opts: WireOptions = {}): Promise<WireClient> {
    const base = url.replace(/^http/, 'ws');
    const ws = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket${opts.query ? `&${opts.query}` : ''}`, {
      headers: opts.cookie ? { cookie: opts.cookie } : {},
      perMessageDeflate: false,
    });
    const client = new WireClient(ws);
    return new Promise((resolve, reject) => {
      let connected = false;
      ws.on('error', (err) => {
        if (!connected) reject(err);
      });
      ws.on('close', () => {
        if (!connected) reject(new Error('closed before connect'));
        for (const fn of client.acks.values()) fn('[{"ok":false,"error":{"code":"CLOSED"}}]');
        client.acks.clear();
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        const type = text.charCodeAt(0);
        if (type === 50 /* '2' ping */) {
          ws.send('3');
          return;
        }
        if (type === 48 /* '0' open */) {
          ws.send('40');
          return;
        }
        if (type !== 52 /* '4' message */) return;
        const packet = text.charCodeAt(1);
        if (packet === 48 /* '0' connect */) {
          connected = true;
          resolve(client);
          return;
        }
        if (packet === 52 /* '4' connect error */) {
          ws.close();
          reject(new Error(`connect refused: ${text.slice(2, 200)}`));
          return;
        }
        client.received += 1;
        if (packet === 51 /* '3' ack */) {
          const bracket = text.indexOf('[', 2);
          const id = Number(text.slice(2, bracket));
          const fn = client.acks.get(id);
          if (fn) {
            client.acks.delete(id);
            fn(text.slice(bracket));
          }
          return;
        }
        if (packet === 50 /* '2' event */) client.onEvent?.(text);
      });
    });
  }

  /** Sends an event with an ack id; resolves with the ack's raw JSON array text. */
  request(event: string, payload: unknown): Promise<string> {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Sends an event with an ack and fails unless the answer is `{ok: true}`; returns `data`. */
  async must<T = unknown>(event: string, payload: unknown): Promise<T> {
    const raw = await this.request(event, payload);
    const [res] = JSON.parse(raw) as [{ ok: boolean; data?: T; error?: { code: string; message: string } }];
    if (!res.ok) throw new Error(`${event} refused: ${res.error?.code} ${res.error?.message}`);
    return res.data as T;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** An ack text answers `{ok: true}` (checked without parsing the whole snapshot). */
export const ackOk = (json: string) => json.startsWith('[{"ok":true');

/** The event name of a raw `42[...]` frame. */
export function eventName(text: string): string {
  const start = text.indexOf('["') + 2;
  return text.slice(start, text.indexOf('"', start));
}
