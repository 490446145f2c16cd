import { ActivityKind, type ActivityView, activityLimits, findingSourceKind } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { formatDateTime } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import {
  addFinding,
  answerActivity,
  cancelActivity,
  closeActivity,
  createActivity,
  decideActivityLeave,
  fetchActivities,
  fetchActivity,
  fetchActivityCode,
  fetchAppraisal,
  fetchDepartments,
  fetchMembers,
  inviteMembers,
  rateDepartment,
  signInAtDesk,
  signInWithCode,
  uploadMaterials,
} from './api';
import { QrCode } from './QrCode';
import './activities.css';
import { ErrorBanner } from '../../components/ErrorBanner';

export const activitiesPath = '/activities';
const newPath = '/activities/new';
export const activityPath = (id: string) => `/activities/${encodeURIComponent(id)}`;

type Page =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'item'; id: string }
  | { page: 'signIn'; id: string; code: string }
  | { page: 'none' };

export function matchActivityPage(path: string, search: string): Page {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === activitiesPath) return { page: 'list' };
  if (clean === newPath) return { page: 'new' };
  const m = /^\/activities\/([^/]+)(\/sign-in)?$/.exec(clean);
  if (m?.[1]) {
    try {
      const id = decodeURIComponent(m[1]);
      if (m[2]) return { page: 'signIn', id, code: new URLSearchParams(search).get('code') ?? '' };
      return { page: 'item', id };
    } catch {
      return { page: 'none' };
    }
  }
  return { page: 'none' };
}

/** 履职活动 pages: the list, a new activity, one activity, and the sign-in link a QR code opens. */
export function ActivitiesPages({ path, search }: { path: string; search: string }) {
  const page = matchActivityPage(path, search);
  const here = search ? `${path}?${search}` : path;
  return (
    <SignedIn returnTo={here}>
      {() => (
        <div className="page activities-page">
          {page.page === 'list' && <ListPage />}
          {page.page === 'new' && <NewPage />}
          {page.page === 'item' && <ItemPage key={page.id} id={page.id} />}
          {page.page === 'signIn' && <SignInLinkPage key={page.id} id={page.id} code={page.code} />}
          {page.page === 'none' && <BackLink />}
        </div>
      )}
    </SignedIn>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to={activitiesPath}>{t('activities.back')}</Link>
    </p>
  );
}

/** Who may organise: staff, and conveners in a working group. */
function useMayOrganise(): boolean {
  return useAppStore(
    (s) => s.me?.kind === 'staff' || (s.me?.kind === 'member' && s.me.canConvene && !!s.me.workingGroupId),
  );
}

function ListPage() {
  const { t, i18n } = useTranslation();
  const mayOrganise = useMayOrganise();
  const { data, error } = useLoad(() => fetchActivities(), []);
  const list = data?.activities ?? null;
  return (
    <>
      <h1>{t('activities.title')}</h1>
      {mayOrganise && (
        <p>
          <Link to={newPath} className="button" data-testid="activity-new">
            {t('activities.newActivity')}
          </Link>
        </p>
      )}
      {error && <p role="alert">{t('activities.loadFailed', { error: t(`errors.${error}`) })}</p>}
      {list?.length === 0 && <p className="hint">{t('activities.empty')}</p>}
      {list && list.length > 0 && (
        <ul className="activities-list" data-testid="activities-list">
          {list.map((a) => (
            <li key={a.id}>
              <Link to={activityPath(a.id)}>{a.title}</Link>
              <span className="activities-meta">
                {t(`activities.kind.${a.kind}`)} · {formatDateTime(a.date, i18n.language, 'date')} · {a.place} ·{' '}
                {t(`activities.state.${a.state}`)} ·{' '}
                {t('activities.list.attendance', { signedIn: a.signedIn, invited: a.invited })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function NewPage() {
  const { t } = useTranslation();
  const action = useAction();
  const [kind, setKind] = useState<ActivityKind>('inspection');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [place, setPlace] = useState('');
  const [description, setDescription] = useState('');
  const [departments, setDepartments] = useState('');
  const [criteria, setCriteria] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const created = await createActivity({
        kind,
        title,
        date,
        place,
        description,
        invitees: [...chosen],
        ...(kind === 'appraisal' ? { departments: lines(departments), criteria: lines(criteria) } : {}),
      });
      navigate(activityPath(created.id));
    });
  };
  return (
    <>
      <BackLink />
      <h1>{t('activities.form.title')}</h1>
      <form className="activities-form" onSubmit={submit} data-testid="activity-form">
        <Field className="activities-field" label={t('activities.form.kindField')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ActivityKind)} name="kind">
            {ActivityKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`activities.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field className="activities-field" label={t('activities.form.titleField')}>
          <input
            type="text"
            name="title"
            required
            maxLength={activityLimits.maxTitleLength}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </Field>
        <Field className="activities-field" label={t('activities.form.date')}>
          <input name="date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field className="activities-field" label={t('activities.form.place')}>
          <input
            type="text"
            name="place"
            required
            maxLength={activityLimits.maxPlaceLength}
            value={place}
            onChange={(e) => setPlace(e.target.value)}
          />
        </Field>
        <Field className="activities-field" label={t('activities.form.description')}>
          <textarea
            name="description"
            rows={3}
            maxLength={activityLimits.maxDescriptionLength}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        {kind === 'appraisal' && (
          <>
            <Field className="activities-field" label={t('activities.form.departments')}>
              <textarea
                name="departments"
                rows={3}
                required
                value={departments}
                onChange={(e) => setDepartments(e.target.value)}
              />
            </Field>
            <Field className="activities-field" label={t('activities.form.criteria')}>
              <textarea name="criteria" rows={3} value={criteria} onChange={(e) => setCriteria(e.target.value)} />
            </Field>
          </>
        )}
        <MemberPicker chosen={chosen} onChange={setChosen} />
        <ErrorBanner error={action.error} />
        <button className="button button--primary" type="submit" disabled={action.busy} data-testid="activity-create">
          {action.busy ? t('activities.form.saving') : t('activities.form.submit')}
        </button>
      </form>
    </>
  );
}

/** Committee members to tick, filtered by name; those in `except` (already invited) are left out. */
function MemberPicker({
  chosen,
  onChange,
  except = [],
}: {
  chosen: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  except?: readonly string[];
}) {
  const { t } = useTranslation();
  // Without the member list there is nobody to tick: the picker stays empty.
  const all = useLoad(() => fetchMembers(), []);
  const members = (all.data?.members ?? []).filter((m) => m.kind === 'member');
  const [filter, setFilter] = useState('');
  const shown = members.filter(
    (m) => !except.includes(m.id) && (filter.trim() === '' || m.name.includes(filter.trim())),
  );
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <fieldset className="activities-invitees">
      <legend>
        {t('common.withAside', {
          main: t('activities.form.invitees'),
          aside: t('activities.form.chosen', { count: chosen.size }),
        })}
      </legend>
      <Field className="activities-field" label={t('activities.form.filter')}>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </Field>
      <ul>
        {shown.map((m) => (
          <li key={m.id}>
            <Field check label={m.sectorName ? t('common.withAside', { main: m.name, aside: m.sectorName }) : m.name}>
              <input
                type="checkbox"
                checked={chosen.has(m.id)}
                onChange={() => toggle(m.id)}
                data-testid={`invite-${m.id}`}
              />
            </Field>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** Managers invite more members while the activity is open. */
function InviteMore({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  if (!open) {
    return (
      <p>
        <button className="button" type="button" onClick={() => setOpen(true)} data-testid="invite-more">
          {t('activities.detail.inviteMore')}
        </button>
      </p>
    );
  }
  return (
    <form
      className="activities-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          onChange(await inviteMembers(a.id, [...chosen]));
          setChosen(new Set());
          setOpen(false);
        });
      }}
    >
      <MemberPicker chosen={chosen} onChange={setChosen} except={a.invitees.map((i) => i.memberId)} />
      <ErrorBanner error={action.error} />
      <button className="button" type="submit" disabled={action.busy || chosen.size === 0}>
        {t('activities.detail.invite')}
      </button>
    </form>
  );
}

/** The activity as loaded, and a setter for the answers of its actions. */
function useActivity(id: string) {
  const {
    data: activity,
    setData: setActivity,
    error,
    reload,
  } = useLoad(() => fetchActivity(id), [id], { keep: true });
  return { activity, setActivity, error, reload };
}

function ItemPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { activity, setActivity, error } = useActivity(id);
  if (error) {
    return (
      <>
        <BackLink />
        <p role="alert">{t('activities.loadFailed', { error: t(`errors.${error}`) })}</p>
      </>
    );
  }
  if (!activity) return <p className="hint">{t('app.loading')}</p>;
  const a = activity;
  const open = a.state === 'scheduled';
  return (
    <>
      <BackLink />
      <h1 data-testid="activity-title">{a.title}</h1>
      <p className="activities-meta">
        {t(`activities.kind.${a.kind}`)} ·{' '}
        <span data-testid="activity-state" data-state={a.state}>
          {t(`activities.state.${a.state}`)}
        </span>
      </p>
      <p>{t('activities.detail.when', { date: formatDateTime(a.date, i18n.language, 'date'), place: a.place })}</p>
      <p className="activities-meta">{t('activities.detail.organiser', { name: a.organiserName })}</p>
      {a.description && <p className="activities-description">{a.description}</p>}
      {a.viewer.manages && open && <CodePanel id={a.id} />}
      {a.viewer.invited && <MyPanel activity={a} onChange={setActivity} />}
      {a.viewer.manages && <InviteesPanel activity={a} onChange={setActivity} />}
      {a.kind === 'appraisal' && <AppraisalPanel activity={a} onChange={setActivity} />}
      {findingSourceKind[a.kind] && <FindingsPanel activity={a} onChange={setActivity} />}
      <MaterialsPanel activity={a} onChange={setActivity} />
    </>
  );
}

/** The code on the screen on site: refreshed as it changes, with its QR code. */
function CodePanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { data: code, error, busy, reload } = useLoad(() => fetchActivityCode(id), [id], { keep: true });
  // Fetch again just after the code changes; after a failure, in five seconds.
  useEffect(() => {
    if (busy || (!code && !error)) return;
    const wait = error || !code ? 5000 : Math.max(1000, new Date(code.changesAt).getTime() - Date.now() + 300);
    const timer = setTimeout(reload, wait);
    return () => clearTimeout(timer);
  }, [code, error, busy, reload]);
  const url = code ? `${window.location.origin}${code.link}` : '';
  return (
    <section className="activities-panel activities-code" aria-labelledby={`code-${id}`}>
      <h2 id={`code-${id}`}>{t('activities.code.title')}</h2>
      <ErrorBanner error={error} />
      {code && (
        <>
          <p className="activities-code__digits" data-testid="activity-code" aria-live="polite">
            {code.code}
          </p>
          <QrCode text={url} label={t('activities.code.qr')} />
          <p className="hint">
            {t('activities.code.hint', { seconds: code.periodSeconds })}{' '}
            {t('activities.code.changes', { time: formatDateTime(code.changesAt, i18n.language) })}
          </p>
        </>
      )}
    </section>
  );
}

/** The invitee's own part: the answer (参加/请假) and signing in with the code. */
function MyPanel({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const myId = useAppStore((s) => s.me?.id);
  // A manager who is invited too sees everyone's answers: pick out the caller's own.
  const mine = a.invitees.find((i) => i.memberId === myId);
  const open = a.state === 'scheduled';
  const answer = (body: Parameters<typeof answerActivity>[1]) =>
    void action.run(async () => onChange(await answerActivity(a.id, body)));
  return (
    <section className="activities-panel" aria-labelledby="my-answer">
      <h2 id="my-answer">{t('activities.rsvp.title')}</h2>
      {mine && (
        <p data-testid="activity-my-answer">
          {t('activities.rsvp.yours', { answer: t(`activities.detail.answer.${mine.answer}`) })}
          {mine.leave ? t('common.aside', { text: t(`activities.detail.leave.${mine.leave}`) }) : ''}
        </p>
      )}
      {open && (
        <div className="activities-actions">
          <button
            className="button"
            type="button"
            disabled={action.busy}
            onClick={() => answer({ answer: 'attend' })}
            data-testid="rsvp-attend"
          >
            {t('activities.rsvp.attend')}
          </button>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              answer({ answer: 'leave', reason });
            }}
          >
            <Field className="activities-field" label={t('activities.rsvp.reason')}>
              <input
                type="text"
                required
                maxLength={activityLimits.maxReasonLength}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </Field>
            <button className="button" type="submit" disabled={action.busy}>
              {t('activities.rsvp.send')}
            </button>
          </form>
        </div>
      )}
      <h2>{t('activities.signIn.title')}</h2>
      {a.viewer.signedIn ? (
        <p data-testid="activity-signed-in">{t('activities.signIn.done')}</p>
      ) : (
        open && (
          <form
            className="activities-actions"
            onSubmit={(e) => {
              e.preventDefault();
              void action.run(async () => onChange(await signInWithCode(a.id, code.trim())));
            }}
          >
            <Field className="activities-field" label={t('activities.signIn.code')}>
              <input
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
                data-testid="sign-in-code"
              />
            </Field>
            <button
              className="button button--primary"
              type="submit"
              disabled={action.busy}
              data-testid="sign-in-submit"
            >
              {action.busy ? t('activities.signIn.working') : t('activities.signIn.submit')}
            </button>
          </form>
        )
      )}
      <ErrorBanner error={action.error} />
    </section>
  );
}

/** Managers: every invitee's answer, leave decisions (staff), desk sign-in, and closing. */
function InviteesPanel({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const open = a.state === 'scheduled';
  return (
    <section className="activities-panel" aria-labelledby="invitees">
      <h2 id="invitees">
        {t('common.withAside', {
          main: t('activities.detail.invitees'),
          aside: t('activities.list.attendance', { signedIn: a.signedIn, invited: a.invited }),
        })}
      </h2>
      {a.invitees.length === 0 && <p className="hint">{t('activities.detail.nobody')}</p>}
      {open && <InviteMore activity={a} onChange={onChange} />}
      <ul className="activities-invitee-list" data-testid="activity-invitees">
        {a.invitees.map((i) => (
          <li key={i.memberId} data-testid={`invitee-${i.memberId}`} data-signed-in={i.signedIn}>
            <span>
              {i.name} · {t(`activities.detail.answer.${i.answer}`)}
              {i.leave
                ? t('common.aside', {
                    text: i.leaveReason
                      ? t('common.labelled', { label: t(`activities.detail.leave.${i.leave}`), text: i.leaveReason })
                      : t(`activities.detail.leave.${i.leave}`),
                  })
                : ''}{' '}
              · {i.signedIn ? t('activities.detail.signedIn') : t('activities.detail.notSignedIn')}
            </span>
            <span className="activities-actions">
              {a.viewer.decidesLeave && i.answer === 'leave' && i.leave === 'requested' && (
                <>
                  <button
                    className="button button--small"
                    type="button"
                    disabled={action.busy}
                    onClick={() =>
                      void action.run(async () => onChange(await decideActivityLeave(a.id, i.memberId, 'approved')))
                    }
                  >
                    {t('activities.detail.approve')}
                  </button>
                  <button
                    className="button button--small"
                    type="button"
                    disabled={action.busy}
                    onClick={() =>
                      void action.run(async () => onChange(await decideActivityLeave(a.id, i.memberId, 'refused')))
                    }
                  >
                    {t('activities.detail.refuse')}
                  </button>
                </>
              )}
              {open && !i.signedIn && (
                <button
                  className="button button--small"
                  type="button"
                  disabled={action.busy}
                  onClick={() => void action.run(async () => onChange(await signInAtDesk(a.id, i.memberId)))}
                  data-testid={`desk-${i.memberId}`}
                >
                  {t('activities.detail.desk')}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {open && (
        <p>
          <button
            className="button"
            type="button"
            disabled={action.busy}
            onClick={() => void action.run(async () => onChange(await closeActivity(a.id)))}
            data-testid="activity-close"
          >
            {t('activities.detail.close')}
          </button>{' '}
          <span className="hint">{t('activities.detail.closeHint')}</span>
          {a.signedIn === 0 && (
            <>
              {' '}
              <button
                className="button"
                type="button"
                disabled={action.busy}
                onClick={() => void action.run(async () => onChange(await cancelActivity(a.id)))}
                data-testid="activity-cancel"
              >
                {t('activities.detail.cancel')}
              </button>
            </>
          )}
        </p>
      )}
      <ErrorBanner error={action.error} />
    </section>
  );
}

function FindingsPanel({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [text, setText] = useState('');
  const [department, setDepartment] = useState('');
  const [deadline, setDeadline] = useState('');
  const listId = useId();
  // The departments offered as the finding's; without them any name may still be typed.
  const depts = useLoad(() => fetchDepartments(), [a.viewer.manages], { when: a.viewer.manages });
  const known = (depts.data?.departments ?? []).map((d) => d.name);
  return (
    <section className="activities-panel" aria-labelledby="findings">
      <h2 id="findings">{t('activities.findings.title')}</h2>
      {a.findings.length === 0 && <p className="hint">{t('activities.findings.none')}</p>}
      <ul data-testid="activity-findings">
        {a.findings.map((f) => (
          <li key={f.id}>
            {t('common.withAside', {
              main: f.text,
              aside: f.deadline ? [f.department, f.deadline].join(t('common.commaSeparator')) : f.department,
            })}{' '}
            <Link to={`/tracking/${encodeURIComponent(f.trackingId)}`} data-testid="finding-tracking">
              {t('activities.findings.tracked')}
            </Link>
          </li>
        ))}
      </ul>
      {a.viewer.manages && a.state !== 'cancelled' && (
        <form
          className="activities-form"
          data-testid="finding-form"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              onChange(await addFinding(a.id, { text, department, deadline: deadline || null }));
              setText('');
            });
          }}
        >
          <Field className="activities-field" label={t('activities.findings.text')}>
            <textarea
              name="finding"
              required
              rows={3}
              maxLength={activityLimits.maxFindingLength}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </Field>
          <Field className="activities-field" label={t('activities.findings.department')}>
            <input
              type="text"
              name="department"
              required
              list={listId}
              maxLength={activityLimits.maxDepartmentLength}
              value={department}
              onChange={(e) => setDepartment(e.target.value)}
            />
          </Field>
          <datalist id={listId}>
            {known.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
          <Field className="activities-field" label={t('activities.findings.deadline')}>
            <input type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          </Field>
          <ErrorBanner error={action.error} />
          <button className="button button--primary" type="submit" disabled={action.busy} data-testid="finding-add">
            {t('activities.findings.add')}
          </button>
        </form>
      )}
    </section>
  );
}

function MaterialsPanel({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  if (a.materials.length === 0 && !a.viewer.manages) return null;
  return (
    <section className="activities-panel" aria-labelledby="materials">
      <h2 id="materials">{t('activities.materials.title')}</h2>
      {a.materials.length === 0 && <p className="hint">{t('activities.materials.none')}</p>}
      <ul>
        {a.materials.map((m) => (
          <li key={m.id}>
            <a href={m.url} download>
              {m.fileName}
            </a>
          </li>
        ))}
      </ul>
      {a.viewer.manages && (
        <form
          className="activities-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const target = e.currentTarget;
            void action.run(async () => {
              onChange(await uploadMaterials(a.id, form));
              target.reset();
            });
          }}
        >
          <Field className="activities-field" label={t('activities.materials.files')}>
            <input type="file" name="files" multiple required />
          </Field>
          <ErrorBanner error={action.error} />
          <button className="button" type="submit" disabled={action.busy}>
            {t('activities.materials.upload')}
          </button>
        </form>
      )}
    </section>
  );
}

/** An invitee rates each department once; managers and the departments see aggregates only. */
function AppraisalPanel({ activity: a, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const seesResults = a.viewer.manages || kind === 'official';
  // Asked again after the viewer's own rating (an organiser may rate too), keeping the figures
  // on screen meanwhile: the count of ratings must not stay one short.
  const appraisal = useLoad(() => fetchAppraisal(a.id), [a.id, seesResults, a.viewer.rated.length], {
    when: seesResults,
    keep: true,
  });
  const results = appraisal.data?.departments ?? null;
  return (
    <section className="activities-panel" aria-labelledby="appraisal">
      <h2 id="appraisal">{t('activities.appraisal.title')}</h2>
      {a.viewer.invited &&
        a.departments.map((d) =>
          a.viewer.rated.includes(d) ? (
            <p key={d}>{t('common.labelled', { label: d, text: t('activities.appraisal.rated') })}</p>
          ) : (
            a.state === 'scheduled' && <RatingForm key={d} activity={a} department={d} onChange={onChange} />
          ),
        )}
      <ErrorBanner error={appraisal.error} />
      {results && (
        <>
          <h3>{t('activities.appraisal.results')}</h3>
          {results.map((r) => (
            <div key={r.department} className="activities-result">
              <h4>
                {t('common.withAside', {
                  main: r.department,
                  aside: t('activities.appraisal.ratings', { count: r.ratings }),
                })}
              </h4>
              {r.overall === null ? (
                <p className="hint">{t('activities.appraisal.hidden')}</p>
              ) : (
                <dl>
                  {r.averages.map((x) => (
                    <div key={x.criterion}>
                      <dt>{x.criterion}</dt>
                      <dd>{x.average}</dd>
                    </div>
                  ))}
                  <div>
                    <dt>{t('activities.appraisal.overall')}</dt>
                    <dd>{r.overall}</dd>
                  </div>
                </dl>
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function RatingForm({
  activity: a,
  department,
  onChange,
}: {
  activity: ActivityView;
  department: string;
  onChange: (a: ActivityView) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [scores, setScores] = useState<number[]>(() => a.criteria.map(() => 5));
  return (
    <form
      className="activities-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => onChange(await rateDepartment(a.id, { department, scores })));
      }}
    >
      <fieldset>
        <legend>{t('activities.appraisal.rate', { department })}</legend>
        {a.criteria.map((c, k) => (
          <Field key={c} className="activities-field" label={t('activities.appraisal.score', { criterion: c })}>
            <select
              value={scores[k]}
              onChange={(e) => setScores((s) => s.map((v, j) => (j === k ? Number(e.target.value) : v)))}
            >
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
        ))}
      </fieldset>
      <ErrorBanner error={action.error} />
      <button className="button" type="submit" disabled={action.busy}>
        {t('activities.appraisal.submit')}
      </button>
    </form>
  );
}

/** Opened from the QR code on site: signs the caller in with the code in the link. */
function SignInLinkPage({ id, code }: { id: string; code: string }) {
  const { t } = useTranslation();
  const clean = useMemo(() => code.trim(), [code]);
  // Signing in is what the page is for: it is sent as the page opens, once per code.
  const { data: signedIn, error } = useLoad(() => signInWithCode(id, clean), [id, clean]);
  return (
    <>
      <h1>{signedIn?.title || t('activities.signIn.title')}</h1>
      {!signedIn && !error && <p role="status">{t('activities.signIn.viaLink')}</p>}
      {signedIn && (
        <p role="status" data-testid="activity-signed-in">
          {t('activities.signIn.done')}
        </p>
      )}
      <ErrorBanner error={error} />
      <p>
        <Link to={activityPath(id)}>{t('activities.back')}</Link>
      </p>
    </>
  );
}
