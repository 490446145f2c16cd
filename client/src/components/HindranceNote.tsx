import { useTranslation } from 'react-i18next';
import type { Hindrance } from '../features/room/permissions';

/** Says why a control is disabled; point the control's aria-describedby at `id`. */
export function HindranceNote({ id, hindrance }: { id: string; hindrance: Hindrance | null }) {
  const { t } = useTranslation();
  if (!hindrance) return null;
  return (
    <p id={id} className="hint hindrance" data-testid="hindrance" data-reason={hindrance}>
      {t(`hindrance.${hindrance}`)}
    </p>
  );
}
