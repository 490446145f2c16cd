import {
  type DutyEntryView,
  DutyKind,
  dutyLimits,
  enteredKinds,
  memberKinds,
  workflowKindSources,
} from '@yitang/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/useAction';
import { submitEntry } from './api';
import { type EntryField, type EntryForm, emptyEntryForm, entryBody } from './model';

/**
 * The form to submit a duty record with its evidence. A member's record waits for staff to verify
 * it; staff entering one for a member (`forMember`) make it count at once.
 */
export function EntryFormPanel({
  today,
  forMember,
  onSubmitted,
}: {
  today: string;
  forMember: { id: string; name: string } | null;
  onSubmitted: (entry: DutyEntryView) => void;
}) {
  const { t } = useTranslation();
  const ids = { head: useId() };
  const [form, setForm] = useState<EntryForm>(() => emptyEntryForm(today));
  const [problems, setProblems] = useState<EntryField[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const refs = {
    kind: useRef<HTMLSelectElement>(null),
    date: useRef<HTMLInputElement>(null),
    title: useRef<HTMLInputElement>(null),
    text: useRef<HTMLTextAreaElement>(null),
    link: useRef<HTMLInputElement>(null),
    attachmentName: useRef<HTMLInputElement>(null),
  };
  const kinds = forMember ? enteredKinds : memberKinds;
  const order: EntryField[] = ['kind', 'date', 'title', 'text', 'link', 'attachmentName'];

  const set = <K extends keyof EntryForm>(key: K, value: EntryForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const bad = (field: EntryField) => problems.includes(field);
  const problemText = (field: EntryField) => (bad(field) ? t(`duty.form.problem.${field}`) : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    const checked = entryBody(form, today, forMember?.id);
    if (!checked.ok) {
      setProblems(checked.fields);
      const first = order.find((f) => checked.fields.includes(f));
      if (first) refs[first].current?.focus();
      return;
    }
    setProblems([]);
    const sent: { entry?: DutyEntryView } = {};
    const ok = await action.run(async () => {
      sent.entry = await submitEntry(checked.body);
    });
    const entry = sent.entry;
    if (!ok || !entry) return;
    setDone(t(forMember ? 'duty.form.entered' : 'duty.form.submitted', { title: entry.title }));
    setForm(emptyEntryForm(today));
    // The page shows the record at once and moves focus to it.
    onSubmitted(entry);
  };

  return (
    <section className="panel duty-form" aria-labelledby={ids.head} data-testid="duty-form">
      <h2 id={ids.head}>{forMember ? t('duty.form.titleFor', { name: forMember.name }) : t('duty.form.title')}</h2>
      <p className="hint">{t(forMember ? 'duty.form.introStaff' : 'duty.form.intro')}</p>
      <form onSubmit={submit} noValidate aria-labelledby={ids.head}>
        <div className="duty-form__grid">
          <Field
            label={t('duty.form.kind')}
            // The workflows record these themselves: by hand only for years before them.
            hint={
              form.kind && workflowKindSources[form.kind] ? (
                <span data-testid="duty-form-workflow-kind">{t('duty.form.workflowKind')}</span>
              ) : undefined
            }
            error={problemText('kind')}
          >
            <select
              ref={refs.kind}
              value={form.kind}
              required
              onChange={(e) => {
                const k = DutyKind.safeParse(e.target.value);
                set('kind', k.success ? k.data : '');
              }}
              data-testid="duty-form-kind"
            >
              <option value="">{t('common.choose')}</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`duty.kind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('duty.form.date')} error={problemText('date')}>
            <input
              ref={refs.date}
              type="date"
              value={form.date}
              max={today}
              required
              onChange={(e) => set('date', e.target.value)}
              data-testid="duty-form-date"
            />
          </Field>
        </div>
        <Field label={t('duty.form.entryTitle')} error={problemText('title')}>
          <input
            ref={refs.title}
            type="text"
            value={form.title}
            maxLength={dutyLimits.maxTitleLength}
            required
            onChange={(e) => set('title', e.target.value)}
            data-testid="duty-form-title"
          />
        </Field>
        <Field label={t('duty.form.text')} hint={t('duty.form.textHint')} error={problemText('text')}>
          <textarea
            ref={refs.text}
            value={form.text}
            rows={4}
            maxLength={dutyLimits.maxEvidenceLength}
            required
            onChange={(e) => set('text', e.target.value)}
            data-testid="duty-form-text"
          />
        </Field>
        <div className="duty-form__grid">
          <Field label={t('duty.form.link')} hint={t('duty.form.linkHint')} error={problemText('link')}>
            <input
              ref={refs.link}
              type="text"
              inputMode="url"
              autoComplete="url"
              value={form.link}
              maxLength={dutyLimits.maxLinkLength}
              onChange={(e) => set('link', e.target.value)}
              data-testid="duty-form-link"
            />
          </Field>
          <Field
            label={t('duty.form.attachment')}
            hint={t('duty.form.attachmentHint')}
            error={problemText('attachmentName')}
          >
            <input
              ref={refs.attachmentName}
              type="text"
              value={form.attachmentName}
              maxLength={dutyLimits.maxAttachmentNameLength}
              onChange={(e) => set('attachmentName', e.target.value)}
              data-testid="duty-form-attachment"
            />
          </Field>
        </div>
        {problems.length > 0 && (
          <p role="alert" className="field-error">
            {t('duty.form.problems')}
          </p>
        )}
        {action.error && (
          <p role="alert" className="field-error" data-testid="duty-form-error">
            {t(`errors.${action.error}`)}
          </p>
        )}
        <div className="row row--wrap">
          <button
            type="submit"
            className="button button--primary"
            disabled={action.busy}
            data-testid="duty-form-submit"
          >
            {action.busy ? t('common.sending') : t('duty.form.submit')}
          </button>
          <p role="status" className="duty-form__done" data-testid="duty-form-done">
            {done ?? ''}
          </p>
        </div>
      </form>
    </section>
  );
}
