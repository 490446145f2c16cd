import { limits, type MemberView, SessionMode, SessionRole, type TopicView } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { PeopleOptions } from '../../components/PeopleOptions';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchMatches, fetchPeople, fetchRooms, scheduleTopic } from './api';

/** Roles an invitee can hold; the conveners come from the topic. */
const inviteeRoles = SessionRole.options.filter((r) => r !== 'firstConvener' && r !== 'secondConvener');
type InviteeRole = (typeof inviteeRoles)[number];

const defaultRole = (m: Pick<MemberView, 'kind'>): InviteeRole =>
  m.kind === 'official' ? 'departmentRep' : m.kind === 'staff' ? 'recorder' : 'member';

interface Invitee {
  id: string;
  name: string;
  role: InviteeRole;
}

interface Item {
  key: number;
  title: string;
  minutes: string;
}

/** Schedules the session for an accepted topic: time, room, mode, agenda and invitees. */
export function ScheduleForm({ topic, onChanged }: { topic: TopicView; onChanged: (t: TopicView) => void }) {
  const { t } = useTranslation();
  const _ids = { when: useId(), room: useId(), mode: useId(), add: useId() };
  // Without the lists the form still says what is missing when sent.
  const lists = useLoad(
    () =>
      Promise.all([fetchRooms(), fetchPeople(), fetchMatches(topic.id)]).then(([rooms, people, matches]) => ({
        rooms,
        people,
        matches,
      })),
    [topic.id],
  ).data;
  const rooms = lists?.rooms ?? [];
  const people = lists?.people ?? [];
  const matches = lists?.matches ?? [];
  const [when, setWhen] = useState('');
  // The first room until another is chosen.
  const [picked, setPicked] = useState('');
  const roomId = picked || rooms[0]?.id || '';
  const [mode, setMode] = useState<SessionMode>('hybrid');
  const [items, setItems] = useState<Item[]>([
    { key: 1, title: '', minutes: '20' },
    { key: 2, title: '', minutes: '40' },
  ]);
  const [invitees, setInvitees] = useState<Invitee[]>([]);
  const [problem, setProblem] = useState<'when' | 'agenda' | null>(null);
  const action = useAction();

  const invited = (id: string) => invitees.some((i) => i.id === id);
  const invite = (m: Pick<MemberView, 'id' | 'name'> & { kind?: MemberView['kind'] }) =>
    setInvitees((list) =>
      list.some((i) => i.id === m.id)
        ? list
        : [...list, { id: m.id, name: m.name, role: defaultRole({ kind: m.kind ?? 'member' }) }],
    );
  const setItem = (key: number, patch: Partial<Item>) =>
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const at = new Date(when);
    if (!when || Number.isNaN(at.getTime())) return setProblem('when');
    const agenda = items.map((i) => ({ title: i.title.trim(), plannedMinutes: Number(i.minutes) }));
    if (
      agenda.length === 0 ||
      agenda.some(
        (a) =>
          !a.title ||
          a.title.length > limits.maxAgendaTitleLength ||
          !Number.isInteger(a.plannedMinutes) ||
          a.plannedMinutes < 1 ||
          a.plannedMinutes > limits.maxAgendaItemMinutes,
      )
    ) {
      return setProblem('agenda');
    }
    setProblem(null);
    await action.run(async () =>
      onChanged(
        (
          await scheduleTopic(topic.id, {
            scheduledAt: at.toISOString(),
            roomId,
            mode,
            agenda,
            invitees: invitees.map((i) => ({ memberId: i.id, role: i.role })),
            // A topic already held schedules a follow-up round (第二轮).
            followUp: topic.state !== 'accepted',
          })
        ).topic,
      ),
    );
  };

  const others = people.filter(
    (p) => p.id !== topic.firstConvener?.id && p.id !== topic.secondConvener?.id && !invited(p.id),
  );
  return (
    <form className="panel form topic-schedule" onSubmit={submit} noValidate aria-labelledby="topic-schedule-h">
      <h2 id="topic-schedule-h">
        {t(topic.state === 'accepted' ? 'topics.schedule.title' : 'topics.schedule.followUp')}
      </h2>
      <div className="row">
        <Field
          label={t('topics.schedule.when')}
          error={problem === 'when' ? t('topics.schedule.whenMissing') : undefined}
        >
          <input
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            data-testid="schedule-when"
          />
        </Field>
        <Field label={t('topics.schedule.room')}>
          <select value={roomId} onChange={(e) => setPicked(e.target.value)} data-testid="schedule-room">
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('topics.schedule.mode')}>
          <select value={mode} onChange={(e) => setMode(SessionMode.parse(e.target.value))} data-testid="schedule-mode">
            {SessionMode.options.map((m) => (
              <option key={m} value={m}>
                {t(`session.mode.${m}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset className="topic-agenda">
        <legend>{t('topics.schedule.agenda')}</legend>
        <ol>
          {items.map((item, n) => (
            <li key={item.key} className="row">
              <input
                type="text"
                aria-label={t('topics.schedule.itemTitle', { n: n + 1 })}
                value={item.title}
                maxLength={limits.maxAgendaTitleLength}
                onChange={(e) => setItem(item.key, { title: e.target.value })}
                data-testid={`schedule-item-${n + 1}`}
              />
              <input
                aria-label={t('topics.schedule.itemMinutes', { n: n + 1 })}
                type="number"
                min={1}
                max={limits.maxAgendaItemMinutes}
                value={item.minutes}
                onChange={(e) => setItem(item.key, { minutes: e.target.value })}
                className="input--short"
              />
              {items.length > 1 && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setItems((list) => list.filter((i) => i.key !== item.key))}
                >
                  {t('topics.schedule.removeItem', { n: n + 1 })}
                </button>
              )}
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button button--small"
          disabled={items.length >= limits.maxAgendaItems}
          onClick={() =>
            setItems((list) => [...list, { key: Math.max(0, ...list.map((i) => i.key)) + 1, title: '', minutes: '20' }])
          }
        >
          {t('topics.schedule.addItem')}
        </button>
        {problem === 'agenda' && (
          <p className="field-error" role="alert">
            {t('topics.schedule.agendaMissing')}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('topics.schedule.experts')}</legend>
        <ul className="topic-experts" data-testid="schedule-experts">
          {matches.map((m) => (
            <li key={m.id}>
              <span>
                {m.name} <span className="muted">{m.sectorName}</span>{' '}
                <span className="hint">
                  {t('topics.schedule.expertTags', { tags: m.tags.join(t('common.listSeparator')) })}
                </span>
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={invited(m.id)}
                onClick={() => invite({ id: m.id, name: m.name, kind: 'member' })}
                data-testid={`invite-${m.id}`}
              >
                {invited(m.id) ? t('topics.schedule.invited') : t('topics.schedule.invite')}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>{t('topics.schedule.invitees')}</legend>
        <ul className="topic-invitees" data-testid="schedule-invitees">
          {invitees.map((i) => (
            <li key={i.id} className="row">
              <span>{i.name}</span>
              <select
                aria-label={t('topics.schedule.role', { name: i.name })}
                value={i.role}
                onChange={(e) =>
                  setInvitees((list) =>
                    list.map((x) =>
                      x.id === i.id ? { ...x, role: SessionRole.parse(e.target.value) as InviteeRole } : x,
                    ),
                  )
                }
              >
                {inviteeRoles.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button button--small"
                onClick={() => setInvitees((list) => list.filter((x) => x.id !== i.id))}
              >
                {t('topics.schedule.uninvite', { name: i.name })}
              </button>
            </li>
          ))}
        </ul>
        <Field label={t('topics.schedule.addPerson')}>
          <select
            value=""
            onChange={(e) => {
              const person = people.find((p) => p.id === e.target.value);
              if (person) invite(person);
            }}
            data-testid="schedule-add-person"
          >
            <PeopleOptions people={others} empty={t('common.choose')} withTitle />
          </select>
        </Field>
      </fieldset>
      <button
        type="submit"
        className="button button--primary"
        disabled={action.busy || !roomId}
        data-testid="schedule-submit"
      >
        {action.busy ? t('common.sending') : t('topics.schedule.submit')}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </form>
  );
}
