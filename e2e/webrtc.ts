import type { BrowserContext, Page } from 'playwright-core';

/** What `recordPeerConnections` keeps on the page's window. */
interface Recorded {
  __peerConnections: RTCPeerConnection[];
  /** Remote track id → the stream id LiveKit gives it ("<participant sid>|<track sid>"). */
  __trackStreams: Record<string, string>;
}

/**
 * Keeps every RTCPeerConnection the context's pages make, and which participant each remote track
 * comes from, so a test can read the real WebRTC stats afterwards.
 */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as Recorded;
    const Original = window.RTCPeerConnection;
    w.__peerConnections = [];
    w.__trackStreams = {};
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        w.__peerConnections.push(this);
        this.addEventListener('track', (e) => {
          w.__trackStreams[e.track.id] = e.streams[0]?.id ?? '';
        });
      }
    };
  });
}

/**
 * Audio bytes this page has received over WebRTC so far (inbound-rtp on open connections); with
 * `fromSid`, only from the tracks of the participant with that sid.
 */
export function audioBytesReceived(page: Page, fromSid?: string): Promise<number> {
  return page.evaluate(async (fromSid) => {
    const w = window as unknown as Recorded;
    let bytes = 0;
    for (const pc of w.__peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach(
        (s: { type: string; kind?: string; bytesReceived?: number; trackIdentifier?: string }) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
          if (fromSid && !(w.__trackStreams[s.trackIdentifier ?? ''] ?? '').startsWith(`${fromSid}|`)) return;
          bytes += s.bytesReceived ?? 0;
        },
      );
    }
    return bytes;
  }, fromSid);
}
