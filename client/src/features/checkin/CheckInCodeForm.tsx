import { limits } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import type { ClientErrorCode } from '../../lib/errors';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

const codePattern = new RegExp(`^\\d{${limits.hallCodeDigits}}$`);

/** In a hall or hybrid session: check yourself in with the code shown in the hall. */
export function CheckInCodeForm() {
  const { t } = useTranslation();
  const ids = { title: useId(), intro: useId(), error: useId(), note: useId() };
  const mode = useAppStore((s) => s.session?.mode);
  const inHall = useAppStore((s) => s.you?.inHall ?? false);
  const checkin = useCapability('checkin:code');
  const [code, setCode] = useState('');
  const [error, setError] = useState<'format' | ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  if (mode !== 'hall' && mode !== 'hybrid') return null;
  if (!checkin.shown) return null;
  if (inHall) {
    return (
      <Banner tone="ok" testId="checked-in">
        {t('checkin.checkedIn')}
      </Banner>
    );
  }
  if (checkin.hindrance === 'closed') return null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = code.trim();
    if (!codePattern.test(trimmed)) {
      setError('format');
      return;
    }
    setError(null);
    setBusy(true);
    const res = await call('checkin:code', { code: trimmed }, { quiet: true });
    setBusy(false);
    if (!res.ok) setError(res.code);
    else setCode('');
  };

  return (
    <section className="panel checkin-code" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('checkin.codeTitle')}</h2>
      <p id={ids.intro} className="hint">
        {t('checkin.codeIntro')}
      </p>
      <form className="row row--wrap" onSubmit={submit} noValidate>
        <Field label={t('checkin.codeLabel')} className="field--row">
          <input
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={limits.hallCodeDigits}
            className="input--code"
            value={code}
            onChange={(e) => {
              setCode(e.target.value.replace(/\D/g, ''));
              setError(null);
            }}
            aria-invalid={error !== null || undefined}
            aria-describedby={error ? `${ids.intro} ${ids.error}` : ids.intro}
            data-testid="checkin-code-input"
          />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="checkin-code-submit">
          {t('checkin.codeSubmit')}
        </button>
      </form>
      <p id={ids.error} className="field-error" role="alert" data-testid="checkin-code-error">
        {error === 'format' ? t('checkin.codeInvalid') : error ? t(`errors.${error}`) : ''}
      </p>
      <HindranceNote id={ids.note} hindrance={checkin.hindrance} />
    </section>
  );
}
