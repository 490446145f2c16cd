import { SignedIn } from '../components/SignedIn';
import { LiveRoom } from '../features/room/LiveRoom';
import { sessionPath } from '../lib/router';

/** A session link: signed-in people enter the live room; others go to sign in and come back. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  return (
    <SignedIn returnTo={sessionPath(sessionId)}>
      {/* A new identity means a new socket: remount the room. */}
      {(meId) => <LiveRoom key={`${sessionId}:${meId}`} sessionId={sessionId} />}
    </SignedIn>
  );
}
