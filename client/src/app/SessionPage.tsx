import { useTranslation } from 'react-i18next';
import { IdentityPicker } from '../features/auth/IdentityPicker';
import { LiveRoom } from '../features/room/LiveRoom';
import { useAppStore } from '../store';

/** A session link: pick an identity if needed, then enter the live room. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const meId = useAppStore((s) => s.me?.id);
  const meStatus = useAppStore((s) => s.meStatus);
  const error = useAppStore((s) => s.authError);

  if (meStatus === 'idle' || meStatus === 'loading') {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (meStatus === 'error' && error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${error}`)}
      </p>
    );
  }
  if (!meId) {
    return (
      <div className="page">
        <IdentityPicker />
      </div>
    );
  }
  // A new identity means a new socket: remount the room.
  return <LiveRoom key={`${sessionId}:${meId}`} sessionId={sessionId} />;
}
