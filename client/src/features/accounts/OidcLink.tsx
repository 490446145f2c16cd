import type { AccountView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { api, type Parser } from '../../lib/http';
import { useLoad } from '../../lib/useLoad';

/** `{subject, enabled}` from the account-link routes: the linked subject, or null. */
const linkedSubject: Parser<string | null> = {
  parse(body) {
    if (typeof body !== 'object' || body === null || !('subject' in body)) throw new Error('bad response');
    const { subject } = body;
    if (subject !== null && typeof subject !== 'string') throw new Error('bad response');
    return subject;
  },
};

const base = (id: string) => `/api/accounts/${encodeURIComponent(id)}/oidc`;
const fetchSubject = (id: string) => api(base(id), linkedSubject);
const linkSubject = (id: string, subject: string) =>
  api(base(id), linkedSubject, { method: 'POST', body: { subject } });
const unlinkSubject = (id: string) => api(`${base(id)}/unlink`, linkedSubject, { method: 'POST' });

type Problem = ClientErrorCode | 'taken' | 'empty';

/**
 * Staff: which unified-identity user (the platform's `sub`) signs in to this account. Opens
 * inline under the account's other actions; shown only where single sign-on is configured.
 */
export function OidcLink({ account }: { account: AccountView }) {
  const { t } = useTranslation();
  const ids = { form: useId() };
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState<'linked' | 'unlinked' | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // Asked each time the form opens.
  const loaded = useLoad(() => fetchSubject(account.id).then((linked) => ({ linked })), [account.id], { when: open });
  // The answer goes into the box, and the focus with it.
  useEffect(() => {
    if (!loaded.data) return;
    setCurrent(loaded.data.linked);
    setSubject(loaded.data.linked ?? '');
    inputRef.current?.focus();
  }, [loaded.data]);
  const shownProblem = problem ?? loaded.error;

  const run = async (work: () => Promise<string | null>, done: 'linked' | 'unlinked') => {
    setBusy(true);
    setProblem(null);
    setNote(null);
    try {
      const s = await work();
      setCurrent(s);
      setSubject(s ?? '');
      setNote(done);
    } catch (err) {
      const code = toClientErrorCode(err);
      setProblem(code === 'ILLEGAL_TRANSITION' ? 'taken' : code);
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = subject.trim();
    if (value === '') {
      setProblem('empty');
      inputRef.current?.focus();
      return;
    }
    void run(() => linkSubject(account.id, value), 'linked');
  };

  const problemText =
    shownProblem === 'taken' || shownProblem === 'empty'
      ? t(`sso.link.${shownProblem}`)
      : shownProblem
        ? t(`errors.${shownProblem}`)
        : '';

  return (
    <>
      <button
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={open ? ids.form : undefined}
        onClick={() => {
          setProblem(null);
          setNote(null);
          setOpen(!open);
        }}
        aria-label={t('sso.link.toggleFor', { name: account.name })}
        data-testid="oidc-link-toggle"
      >
        {t('sso.link.toggle')}
      </button>
      {open && (
        <form id={ids.form} className="form" onSubmit={save} noValidate aria-busy={busy || undefined}>
          <Field label={t('sso.link.subject')} hint={t('sso.link.subjectHint')}>
            <input
              ref={inputRef}
              type="text"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={255}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              aria-invalid={problem === 'empty' || problem === 'taken' || undefined}
              data-testid="oidc-link-subject"
            />
          </Field>
          <p>{current ? t('sso.link.current', { subject: current }) : t('sso.link.none')}</p>
          <button type="submit" className="button button--small button--primary" disabled={busy}>
            {t('sso.link.save')}
          </button>{' '}
          {current && (
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              onClick={() => void run(() => unlinkSubject(account.id), 'unlinked')}
            >
              {t('sso.link.unlink')}
            </button>
          )}
          <p role="status" aria-live="polite">
            {note && t(`sso.link.${note}`)}
          </p>
          <p role="alert" className="field-error">
            {problemText}
          </p>
        </form>
      )}
    </>
  );
}
