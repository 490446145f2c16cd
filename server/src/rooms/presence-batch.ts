import type { PresenceChange, PresenceEntry } from '@yitang/shared';

export interface PresenceBatchOptions {
  /** Least time between two frames (ms). */
  intervalMs: number;
  /** Most frame deliveries (frames × recipients) a second; the interval grows with the room. */
  deliveriesPerSecond: number;
  /** How many receive a frame (the people present). */
  recipients: () => number;
  /** A member's presence as it is now, or null if they are not present. */
  current: (memberId: string) => PresenceEntry | null;
  /** Sends one frame (the room adds its counts, numbers it and broadcasts it). */
  send: (change: Omit<PresenceChange, 'counts'>) => void;
}

/**
 * Coalesces one room's presence changes into frames. The first change after a quiet spell goes
 * out at once (a small room sees an arrival immediately); changes that follow within the interval
 * wait for one frame at its end. The interval is `intervalMs`, longer in a room so large that
 * frames that often would cost more than `deliveriesPerSecond` socket writes. Each frame is built from the room's state at
 * send time, so it never contradicts a snapshot taken before it: a member changed since the last
 * frame is an entry if present now, else in `left` (also one who arrived and left between two
 * frames: a leave of someone a client never saw changes nothing there).
 *
 * Memory is one set entry per member changed since the last frame.
 */
export class PresenceBatch {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: PresenceBatchOptions) {}

  /** Notes that a member's presence changed: sent at once if the last frame is old enough, else once it is. */
  changed(memberId: string): void {
    this.pending.add(memberId);
    if (this.timer) return;
    const wait = this.lastSentAt + this.interval() - Date.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** The least time between frames for the room as it is now (ms). */
  interval(): number {
    return Math.max(this.opts.intervalMs, (this.opts.recipients() * 1000) / this.opts.deliveriesPerSecond);
  }

  private flush(): void {
    const entries: PresenceEntry[] = [];
    const left: string[] = [];
    for (const memberId of this.pending) {
      const entry = this.opts.current(memberId);
      if (entry) entries.push(entry);
      else left.push(memberId);
    }
    this.pending.clear();
    this.lastSentAt = Date.now();
    this.opts.send({ entries, left });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
