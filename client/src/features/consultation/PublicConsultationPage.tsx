import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { visitorKey } from './api';
import { ConsultationBoard } from './ConsultationBoard';

/** The citizens' page at the short link `/c/<code>`: no account, a name optional. */
export function PublicConsultationPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const visitor = useMemo(() => visitorKey(), []);
  return (
    <div className="page consultation-public" data-testid="consultation-public">
      <h1>{t('consultation.title')}</h1>
      <ConsultationBoard access={{ kind: 'public', code, visitor }} />
    </div>
  );
}
