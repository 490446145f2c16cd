import {
  type NotifyLocale,
  NotifyLocale as NotifyLocaleSchema,
  type NotifyPreferencesBody,
  PersonalChannel,
} from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { notifyPreferencesPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
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
  const quietHint = useId();
  const prefs = useLoad(fetchPreferences, []);
  const p = prefs.data;
  // The form as edited here; until then as loaded.
  const [edited, setForm] = useState<Form | null>(null);
  const form: Form =
    edited ??
    (p
      ? {
          channels: p.channels,
          email: p.email ?? '',
          phone: p.phone ?? '',
          wecomUserId: p.wecomUserId ?? '',
          quiet: p.quietHours !== null,
          from: p.quietHours?.from ?? blank.from,
          to: p.quietHours?.to ?? blank.to,
          locale: p.locale,
        }
      : blank);
  const available = p?.available ?? [];
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saveError, setError] = useState<ClientErrorCode | null>(null);
  const error = saveError ?? prefs.error;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    setForm({ ...form, [key]: value });
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
      {p && (
        <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
          <fieldset className="notify-fieldset">
            <legend>{t('notify.preferences.channels')}</legend>
            {PersonalChannel.options.map((c) => (
              <Field
                key={c}
                check
                className="notify-check"
                label={
                  <>
                    {t(`notify.preferences.channel.${c}`)}
                    {!available.includes(c) && <span className="hint">{t('notify.preferences.notAvailable')}</span>}
                  </>
                }
              >
                <input
                  type="checkbox"
                  checked={form.channels.includes(c)}
                  onChange={(e) =>
                    set('channels', e.target.checked ? [...form.channels, c] : form.channels.filter((x) => x !== c))
                  }
                  data-testid={`notify-channel-${c}`}
                />
              </Field>
            ))}
          </fieldset>
          <Field label={t('notify.preferences.email')}>
            <input
              type="email"
              inputMode="email"
              autoComplete="email"
              value={form.email}
              onChange={(e) => set('email', e.target.value)}
            />
          </Field>
          <Field label={t('notify.preferences.phone')}>
            <input
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={form.phone}
              onChange={(e) => set('phone', e.target.value)}
            />
          </Field>
          <Field label={t('notify.preferences.wecomUserId')} hint={t('notify.preferences.wecomHint')}>
            <input type="text" value={form.wecomUserId} onChange={(e) => set('wecomUserId', e.target.value)} />
          </Field>
          <fieldset className="notify-fieldset" aria-describedby={quietHint}>
            <legend>{t('notify.preferences.quiet')}</legend>
            <Field check className="notify-check" label={t('notify.preferences.quietOn')}>
              <input type="checkbox" checked={form.quiet} onChange={(e) => set('quiet', e.target.checked)} />
            </Field>
            {form.quiet && (
              <div className="notify-times">
                <Field label={t('notify.preferences.quietFrom')}>
                  <input type="time" value={form.from} onChange={(e) => set('from', e.target.value)} />
                </Field>
                <Field label={t('notify.preferences.quietTo')}>
                  <input type="time" value={form.to} onChange={(e) => set('to', e.target.value)} />
                </Field>
              </div>
            )}
            <p id={quietHint} className="hint">
              {t('notify.preferences.quietHint')}
            </p>
          </fieldset>
          <fieldset className="notify-fieldset">
            <legend>{t('notify.preferences.locale')}</legend>
            {NotifyLocaleSchema.options.map((l) => (
              <Field key={l} check className="notify-check" label={t(`notify.preferences.localeOption.${l}`)}>
                <input
                  type="radio"
                  name="notify-locale"
                  checked={form.locale === l}
                  onChange={() => set('locale', l)}
                />
              </Field>
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
