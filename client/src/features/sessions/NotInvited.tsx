import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';

/** The room's answer to someone outside the session's membership: a readable refusal, not an empty room. */
export function NotInvited() {
  const { t } = useTranslation();
  return (
    <div className="banner banner--error" role="alert" data-testid="not-invited">
      <h1>{t('sessionPlan.notInvited.title')}</h1>
      <p>{t('sessionPlan.notInvited.body')}</p>
      <div className="banner__actions">
        <Link to="/#my-invitations" className="button">
          {t('sessionPlan.notInvited.mine')}
        </Link>
        <Link to="/" className="button">
          {t('room.backToLobby')}
        </Link>
      </div>
    </div>
  );
}
