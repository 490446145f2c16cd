import {
  InviteeRole,
  type InviteeView,
  type MemberView,
  type RoomView,
  type SessionDetail,
  SessionMode,
} from '@yitang/shared';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { PeopleOptions } from '../../components/PeopleOptions';
import type { ClientErrorCode } from '../../lib/errors';
import { Link, navigate, sessionPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import {
  addInvitees,
  cancelSession,
  createSession,
  decideLeave,
  fetchPeople,
  fetchRooms,
  fetchSessionDetail,
  patchSession,
  removeInvitee,
  rescheduleSession,
  rsvp,
  setInviteeRole,
} from './api';

/** A `datetime-local` value as an ISO time with this device's offset (the server keeps UTC). */
function isoOf(local: string): string | null {
  const at = new Date(local);
  return local && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
}

/** An ISO time as a `datetime-local` value in this device's zone. */
function localOf(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const defaultRole = (m: Pick<MemberView, 'kind'>): InviteeRole =>
  m.kind === 'official' ? 'departmentRep' : m.kind === 'staff' ? 'recorder' : 'member';

function ErrorLine({ code }: { code: ClientErrorCode | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p role="alert" className="field-error">
      {t(`errors.${code}`)}
    </p>
  );
}

/** Subject, room, format, conveners and plenary: the create form, and the edit form while scheduled. */
function PlanForm({
  session,
  rooms,
  people,
  onSaved,
}: {
  session: SessionDetail | null;
  rooms: RoomView[];
  people: MemberView[];
  onSaved: (s: SessionDetail) => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const [topic, setTopic] = useState(session?.topic ?? '');
  const [roomId, setRoomId] = useState(session?.roomId ?? rooms[0]?.id ?? '');
  const [when, setWhen] = useState(session ? localOf(session.scheduledAt) : '');
  const [mode, setMode] = useState<SessionMode>(session?.mode ?? 'hybrid');
  const [first, setFirst] = useState(session?.firstConvenerId ?? '');
  const [second, setSecond] = useState(session?.secondConvenerId ?? '');
  const [openToAll, setOpenToAll] = useState(session?.openToAll ?? false);
  const [saved, setSaved] = useState(false);
  const [whenMissing, setWhenMissing] = useState(false);
  const action = useAction();
  // The first convener is a member appointed to convene (委员召集人), as the server requires.
  const conveners = people.filter((p) => p.kind === 'member' && p.canConvene);
  const officials = people.filter((p) => p.kind === 'official');

  useEffect(() => {
    setRoomId((r) => r || rooms[0]?.id || '');
  }, [rooms]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    if (!session) {
      const at = isoOf(when);
      setWhenMissing(at === null);
      if (!at) return;
      await action.run(async () => {
        const created = await createSession({
          topic: topic.trim(),
          roomId,
          scheduledAt: at,
          mode,
          firstConvenerId: first,
          secondConvenerId: second || null,
          openToAll,
        });
        onSaved(created);
      });
      return;
    }
    const ok = await action.run(async () =>
      onSaved(
        await patchSession(session.id, {
          topic: topic.trim(),
          roomId,
          mode,
          secondConvenerId: second || null,
          openToAll,
        }),
      ),
    );
    setSaved(ok);
  };

  const Heading = session ? 'h2' : 'h1';
  return (
    <form onSubmit={submit} className="panel stack" aria-labelledby={headingId}>
      {/* On /sessions/new the form is the page: its heading is the page's (and the tab's) title. */}
      <Heading id={headingId}>{session ? t('sessionPlan.plan.title') : t('sessionPlan.plan.newTitle')}</Heading>
      <Field label={t('sessionPlan.plan.topic')}>
        <input type="text" value={topic} maxLength={120} required onChange={(e) => setTopic(e.target.value)} />
      </Field>
      <Field label={t('sessionPlan.plan.room')}>
        <select value={roomId} onChange={(e) => setRoomId(e.target.value)}>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      {!session && (
        <Field label={t('sessionPlan.plan.when')} error={whenMissing && t('sessionPlan.plan.whenInvalid')}>
          <input type="datetime-local" value={when} required onChange={(e) => setWhen(e.target.value)} />
        </Field>
      )}
      <Field label={t('sessionPlan.plan.mode')}>
        <select value={mode} onChange={(e) => setMode(e.target.value as SessionMode)}>
          {SessionMode.options.map((m) => (
            <option key={m} value={m}>
              {t(`session.mode.${m}`)}
            </option>
          ))}
        </select>
      </Field>
      {!session && (
        <Field label={t('sessionPlan.plan.firstConvener')}>
          <select value={first} required onChange={(e) => setFirst(e.target.value)}>
            <PeopleOptions people={conveners} empty="" />
          </select>
        </Field>
      )}
      <Field label={t('sessionPlan.plan.secondConvener')}>
        <select value={second} onChange={(e) => setSecond(e.target.value)}>
          <PeopleOptions people={officials} empty={t('sessionPlan.plan.none')} withTitle />
        </select>
      </Field>
      <Field label={t('sessionPlan.plan.openToAll')} hint={t('sessionPlan.plan.openToAllHint')} check>
        <input type="checkbox" checked={openToAll} onChange={(e) => setOpenToAll(e.target.checked)} />
      </Field>
      <button type="submit" className="button button--primary" disabled={action.busy}>
        {session ? t('sessionPlan.plan.save') : t('sessionPlan.plan.create')}
      </button>
      <p role="status" className="hint">
        {saved && t('sessionPlan.plan.saved')}
      </p>
      <ErrorLine code={action.error} />
    </form>
  );
}

/** Reschedule (改期) and cancel (取消, with a reason) a session still ahead. */
function TimeAndCancel({ session, onSaved }: { session: SessionDetail; onSaved: (s: SessionDetail) => void }) {
  const { t } = useTranslation();
  const [when, setWhen] = useState(localOf(session.scheduledAt));
  const [reason, setReason] = useState('');
  const [moved, setMoved] = useState(false);
  const action = useAction();
  const reschedule = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const at = isoOf(when);
    if (!at) return;
    setMoved(await action.run(async () => onSaved(await rescheduleSession(session.id, at))));
  };
  const cancel = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim()) await action.run(async () => onSaved(await cancelSession(session.id, reason.trim())));
  };
  return (
    <div className="panel stack">
      <form onSubmit={reschedule} className="stack">
        <Field label={t('sessionPlan.plan.when')}>
          <input type="datetime-local" value={when} required onChange={(e) => setWhen(e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={action.busy}>
          {t('sessionPlan.plan.reschedule')}
        </button>
        <p role="status" className="hint">
          {moved && t('sessionPlan.plan.rescheduled')}
        </p>
      </form>
      <form onSubmit={cancel} className="stack">
        <Field label={t('sessionPlan.plan.cancelReason')}>
          <input type="text" value={reason} maxLength={200} required onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="button button--danger" disabled={action.busy || !reason.trim()}>
          {t('sessionPlan.plan.cancelConfirm')}
        </button>
      </form>
      <ErrorLine code={action.error} />
    </div>
  );
}

/** One invitee's row: role, answer and leave, with the managers' actions. */
function InviteeRow({
  session,
  row,
  onSaved,
}: {
  session: SessionDetail;
  row: InviteeView;
  onSaved: (s: SessionDetail) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const closed = session.state === 'closed';
  return (
    <li className="session-item" data-testid={`invitee-${row.memberId}`}>
      <p>
        <strong>{row.name}</strong> {row.sectorName && <span className="muted">{row.sectorName}</span>}
      </p>
      <p className="session-item__meta">
        <span data-testid="rsvp-state">
          {t(`sessionPlan.answer.${row.answer}`)}
          {row.leave && t('common.aside', { text: t(`sessionPlan.leave.${row.leave}`) })}
        </span>
        {row.leaveReason && <span>{t('sessionPlan.plan.reasonLabel', { reason: row.leaveReason })}</span>}
      </p>
      <div className="banner__actions">
        <Field
          label={t('sessionPlan.plan.roleOf', { name: row.name })}
          labelClassName="visually-hidden"
          className="field--inline"
        >
          <select
            value={row.role}
            disabled={closed || action.busy}
            onChange={(e) =>
              void action.run(async () =>
                onSaved(await setInviteeRole(session.id, row.memberId, e.target.value as InviteeRole)),
              )
            }
          >
            {InviteeRole.options.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        {staff && row.leave === 'requested' && (
          <>
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(async () => onSaved(await decideLeave(session.id, row.memberId, 'approved')))
              }
            >
              {t('sessionPlan.plan.approve')}
            </button>
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(async () => onSaved(await decideLeave(session.id, row.memberId, 'refused')))
              }
            >
              {t('sessionPlan.plan.refuse')}
            </button>
          </>
        )}
        {!closed && (
          <button
            type="button"
            className="button"
            disabled={action.busy}
            aria-label={`${t('sessionPlan.plan.remove')} ${row.name}`}
            onClick={() => void action.run(async () => onSaved(await removeInvitee(session.id, row.memberId)))}
          >
            {t('sessionPlan.plan.remove')}
          </button>
        )}
      </div>
      <ErrorLine code={action.error} />
    </li>
  );
}

/** Picks people to invite from the member list, filtered by sector and name. */
function InvitePicker({
  session,
  people,
  onSaved,
}: {
  session: SessionDetail;
  people: MemberView[];
  onSaved: (s: SessionDetail) => void;
}) {
  const { t } = useTranslation();
  const [sector, setSector] = useState('');
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const action = useAction();
  const taken = new Set([
    session.firstConvenerId,
    session.secondConvenerId ?? '',
    ...session.invitations.map((i) => i.memberId),
  ]);
  const sectors = useMemo(
    () => [...new Map(people.filter((p) => p.sectorId).map((p) => [p.sectorId, p.sectorName ?? ''])).entries()],
    [people],
  );
  const shown = people.filter(
    (p) =>
      p.kind !== 'guest' &&
      !taken.has(p.id) &&
      (!sector || p.sectorId === sector) &&
      (!search.trim() || p.name.includes(search.trim())),
  );
  const toggle = (id: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const invite = async () => {
    const invitees = people.filter((p) => chosen.has(p.id)).map((p) => ({ memberId: p.id, role: defaultRole(p) }));
    if (invitees.length === 0) return;
    if (await action.run(async () => onSaved(await addInvitees(session.id, { invitees })))) setChosen(new Set());
  };
  return (
    <fieldset className="stack">
      <legend>{t('sessionPlan.plan.pick')}</legend>
      <Field label={t('sessionPlan.plan.sector')}>
        <select value={sector} onChange={(e) => setSector(e.target.value)}>
          <option value="">{t('sessionPlan.plan.allSectors')}</option>
          {sectors.map(([id, name]) => (
            <option key={id} value={id ?? ''}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('sessionPlan.plan.search')}>
        <input type="text" value={search} maxLength={40} onChange={(e) => setSearch(e.target.value)} />
      </Field>
      <ul className="checklist">
        {shown.map((p) => (
          <li key={p.id}>
            <Field
              check
              label={
                <>
                  {p.name}
                  {p.sectorName && <span className="muted">{t('common.aside', { text: p.sectorName })}</span>}
                </>
              }
            >
              <input type="checkbox" checked={chosen.has(p.id)} onChange={() => toggle(p.id)} />
            </Field>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button--primary"
        disabled={action.busy || chosen.size === 0}
        onClick={invite}
      >
        {t('sessionPlan.plan.add')}
      </button>
      <ErrorLine code={action.error} />
    </fieldset>
  );
}

/** An invitee's own answer on the plan page. */
function MyAnswer({ session, onSaved }: { session: SessionDetail; onSaved: (s: SessionDetail) => void }) {
  const { t } = useTranslation();
  const meId = useAppStore((s) => s.me?.id);
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const action = useAction();
  const mine = session.invitations.find((i) => i.memberId === meId);
  if (!mine || session.cancelled || session.state === 'closed') return null;
  const leave = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim())
      await action.run(async () => onSaved(await rsvp(session.id, { answer: 'leave', reason: reason.trim() })));
  };
  return (
    <section className="panel stack" aria-labelledby={`${reasonId}-title`}>
      <h2 id={`${reasonId}-title`}>
        {t('sessionPlan.plan.myAnswer', { answer: t(`sessionPlan.answer.${mine.answer}`) })}
        {mine.leave && t('common.aside', { text: t(`sessionPlan.leave.${mine.leave}`) })}
      </h2>
      <button
        type="button"
        className="button"
        disabled={action.busy}
        onClick={() => void action.run(async () => onSaved(await rsvp(session.id, { answer: 'attend' })))}
      >
        {t('sessionPlan.mine.attend')}
      </button>
      <form onSubmit={leave} className="stack">
        <Field label={t('sessionPlan.mine.reason')}>
          <textarea value={reason} maxLength={200} required onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={action.busy || !reason.trim()}>
          {t('sessionPlan.mine.sendLeave')}
        </button>
      </form>
      <ErrorLine code={action.error} />
    </section>
  );
}

/**
 * A session's plan: conveners and staff schedule, edit, reschedule and cancel it and keep its
 * invitation list (roles, answers, leave); an invitee answers 参加 or 请假. `sessionId` null: a new session (staff).
 */
export function SessionPlanPage({ sessionId }: { sessionId: string | null }) {
  const { t } = useTranslation();
  const detail = useLoad(() => fetchSessionDetail(sessionId ?? ''), [sessionId], { when: sessionId !== null });
  const { data: session, setData: setSession, error: failure } = detail;
  // Without the rooms and people the forms stay away; the plan itself still shows.
  const lists = useLoad(() => Promise.all([fetchRooms(), fetchPeople()]), []);
  const rooms: RoomView[] = lists.data?.[0] ?? [];
  const people: MemberView[] = lists.data?.[1] ?? [];

  const names = new Map(people.map((p) => [p.id, p.name]));
  if (!sessionId) {
    return (
      <div className="page">
        <Link to="/">{t('sessionPlan.plan.back')}</Link>
        {rooms.length > 0 && (
          <PlanForm
            session={null}
            rooms={rooms}
            people={people}
            onSaved={(s) => navigate(`${sessionPath(s.id)}/plan`)}
          />
        )}
      </div>
    );
  }
  if (failure === 'FORBIDDEN') {
    return (
      <div className="page" role="alert" data-testid="not-invited">
        <h1>{t('sessionPlan.notInvited.title')}</h1>
        <p>{t('sessionPlan.notInvited.body')}</p>
        <Link to="/">{t('sessionPlan.plan.back')}</Link>
      </div>
    );
  }
  return (
    <div className="page">
      <Link to="/">{t('sessionPlan.plan.back')}</Link>
      {failure && <ErrorLine code={failure} />}
      {session && (
        <>
          <h1>{session.topic}</h1>
          {session.cancelled && (
            <Banner tone="error">
              {t('sessionPlan.plan.cancelledBanner', { reason: session.cancelReason ?? '' })}
            </Banner>
          )}
          {!session.cancelled && (
            <p>
              <Link to={sessionPath(session.id)} className="button">
                {t('sessionPlan.plan.enter')}
              </Link>
            </p>
          )}
          <MyAnswer session={session} onSaved={setSession} />
          {session.manage && session.state === 'scheduled' && !session.cancelled && rooms.length > 0 && (
            <>
              <PlanForm session={session} rooms={rooms} people={people} onSaved={setSession} />
              <TimeAndCancel session={session} onSaved={setSession} />
            </>
          )}
          {session.manage && (
            <section className="panel stack" aria-labelledby="invitees-title">
              <h2 id="invitees-title">{t('sessionPlan.plan.invitees', { count: session.invitations.length })}</h2>
              {session.invitations.length === 0 && <p className="muted">{t('sessionPlan.plan.noInvitees')}</p>}
              <ul className="sessions">
                {session.invitations.map((row) => (
                  <InviteeRow key={row.memberId} session={session} row={row} onSaved={setSession} />
                ))}
              </ul>
              {session.state === 'closed' && (
                <p data-testid="absent-without-leave">
                  {session.absentWithoutLeave.length > 0
                    ? t('sessionPlan.plan.absent', {
                        names: session.absentWithoutLeave
                          .map((id) => names.get(id) ?? id)
                          .join(t('common.listSeparator')),
                      })
                    : t('sessionPlan.plan.noAbsent')}
                </p>
              )}
              {session.state !== 'closed' && !session.cancelled && (
                <InvitePicker session={session} people={people} onSaved={setSession} />
              )}
            </section>
          )}
        </>
      )}
    </div>
  );
}
