import {
  type NotifyLocale,
  NotifyLocale as NotifyLocaleSchema,
  type NotifyPreferencesBody,
  PersonalChannel,
} from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { notifyPreferencesPath } from '../../lib/router';
import { fetchPreferences, savePreferences } from './api';
import './notify.css';

interface Form {
  channels: PersonalChannel[];
  email: string;
  phone: string;
  wecomUserId: string;
  quiet: boolean;
  from: string;
  to: string;
  locale: NotifyLocale;
}

const blank: Form = {
  channels: [],
  email: '',
  phone: '',
  wecomUserId: '',
  quiet: false,
  from: '22:00',
  to: '07:30',
  locale: 'zh-CN',
};

const addressField = { email: 'email', sms: 'phone', wecom: 'wecomUserId' } as const;

function Preferences() {
  const { t } = useTranslation();
  const ids = { email: useId(), phone: useId(), wecom: useId(), wecomHint: useId(), from: useId(), to: useId() };
  const quietHint = useId();
  const [form, setForm] = useState<Form>(blank);
  const [available, setAvailable] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);

  useEffect(() => {
    fetchPreferences()
      .then((p) => {
        setForm({
          channels: p.channels,
          email: p.email ?? '',
          phone: p.phone ?? '',
          wecomUserId: p.wecomUserId ?? '',
          quiet: p.quietHours !== null,
          from: p.quietHours?.from ?? blank.from,
          to: p.quietHours?.to ?? blank.to,
          locale: p.locale,
        });
        setAvailable(p.available);
        setLoaded(true);
      })
      .catch((err: unknown) => setError(toClientErrorCode(err)));
  }, []);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = form.channels.find((c) => form[addressField[c]].trim() === '');
    if (missing) {
      setProblem(t('notify.preferences.needsAddress', { channel: t(`notify.preferences.channel.${missing}`) }));
      return;
    }
    if (form.quiet && form.from === form.to) {
      setProblem(t('notify.preferences.quietSame'));
      return;
    }
    setProblem(null);
    const body: NotifyPreferencesBody = {
      channels: form.channels,
      email: form.email.trim() || null,
      phone: form.phone.trim() || null,
      wecomUserId: form.wecomUserId.trim() || null,
      quietHours: form.quiet ? { from: form.from, to: form.to } : null,
      locale: form.locale,
    };
    setBusy(true);
    setError(null);
    try {
      await savePreferences(body);
      setSaved(true);
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page notify-page">
      <h1>{t('notify.preferences.title')}</h1>
      <p className="hint">{t('notify.preferences.intro')}</p>
      <ErrorBanner error={error} />
      {loaded && (
        <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
          <fieldset className="notify-fieldset">
            <legend>{t('notify.preferences.channels')}</legend>
            {PersonalChannel.options.map((c) => (
              <label key={c} className="notify-check">
                <input
                  type="checkbox"
                  checked={form.channels.includes(c)}
                  onChange={(e) =>
                    set('channels', e.target.checked ? [...form.channels, c] : form.channels.filter((x) => x !== c))
                  }
                  data-testid={`notify-channel-${c}`}
                />
                {t(`notify.preferences.channel.${c}`)}
                {!available.includes(c) && <span className="hint">{t('notify.preferences.notAvailable')}</span>}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={ids.email}>{t('notify.preferences.email')}</label>
            <input
              id={ids.email}
              type="email"
              inputMode="email"
              autoComplete="email"
              value={form.email}
              onChange={(e) => set('email', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.phone}>{t('notify.preferences.phone')}</label>
            <input
              id={ids.phone}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={form.phone}
              onChange={(e) => set('phone', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.wecom}>{t('notify.preferences.wecomUserId')}</label>
            <input
              id={ids.wecom}
              aria-describedby={ids.wecomHint}
              value={form.wecomUserId}
              onChange={(e) => set('wecomUserId', e.target.value)}
            />
            <p id={ids.wecomHint} className="hint">
              {t('notify.preferences.wecomHint')}
            </p>
          </div>
          <fieldset className="notify-fieldset" aria-describedby={quietHint}>
            <legend>{t('notify.preferences.quiet')}</legend>
            <label className="notify-check">
              <input type="checkbox" checked={form.quiet} onChange={(e) => set('quiet', e.target.checked)} />
              {t('notify.preferences.quietOn')}
            </label>
            {form.quiet && (
              <div className="notify-times">
                <div className="field">
                  <label htmlFor={ids.from}>{t('notify.preferences.quietFrom')}</label>
                  <input id={ids.from} type="time" value={form.from} onChange={(e) => set('from', e.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor={ids.to}>{t('notify.preferences.quietTo')}</label>
                  <input id={ids.to} type="time" value={form.to} onChange={(e) => set('to', e.target.value)} />
                </div>
              </div>
            )}
            <p id={quietHint} className="hint">
              {t('notify.preferences.quietHint')}
            </p>
          </fieldset>
          <fieldset className="notify-fieldset">
            <legend>{t('notify.preferences.locale')}</legend>
            {NotifyLocaleSchema.options.map((l) => (
              <label key={l} className="notify-check">
                <input
                  type="radio"
                  name="notify-locale"
                  checked={form.locale === l}
                  onChange={() => set('locale', l)}
                />
                {t(`notify.preferences.localeOption.${l}`)}
              </label>
            ))}
          </fieldset>
          {problem && (
            <p role="alert" className="field-error">
              {problem}
            </p>
          )}
          <button type="submit" className="button button--primary" disabled={busy} data-testid="notify-save">
            {busy ? t('notify.preferences.saving') : t('notify.preferences.save')}
          </button>
          <p role="status" className="hint">
            {saved ? t('notify.preferences.saved') : ''}
          </p>
        </form>
      )}
    </div>
  );
}

/** 提醒设置: one's channels, contact details, quiet hours and language of reminders. */
export function NotifyPreferencesPage() {
  return <SignedIn returnTo={notifyPreferencesPath}>{() => <Preferences />}</SignedIn>;
}
