import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Link } from '../../lib/router';

/** The room's answer to someone outside the session's membership: a readable refusal, not an empty room. */
export function NotInvited() {
  const { t } = useTranslation();
  return (
    <Banner
      tone="error"
      testId="not-invited"
      actions={
        <>
          <Link to="/#my-invitations" className="button">
            {t('sessionPlan.notInvited.mine')}
          </Link>
          <Link to="/" className="button">
            {t('room.backToLobby')}
          </Link>
        </>
      }
    >
      <h1>{t('sessionPlan.notInvited.title')}</h1>
      <p>{t('sessionPlan.notInvited.body')}</p>
    </Banner>
  );
}
