import {
  committeeToday,
  type MemberView,
  type PaperSessionView,
  paperLimits,
  type RoomView,
  type ThemeView,
  type TopicView,
} from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { PeopleOptions } from '../../components/PeopleOptions';
import { SignedIn } from '../../components/SignedIn';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { fetchTopics } from '../topics/api';
import { fetchPeople, fetchRooms } from './api';
import { fetchThemes, paperSessionsPath, recordPaperSession, uploadScan } from './paperApi';

interface SuggestionRow {
  key: number;
  authorId: string;
  text: string;
}
interface OutcomeRow {
  key: number;
  text: string;
  department: string;
}

/** The form: what the sign-in sheet and the written record say. */
function PaperForm({
  rooms,
  people,
  themes,
  topics,
}: {
  rooms: RoomView[];
  people: MemberView[];
  themes: ThemeView[];
  topics: TopicView[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState('');
  const [roomId, setRoomId] = useState(rooms[0]?.id ?? '');
  const [date, setDate] = useState(committeeToday());
  const [time, setTime] = useState('09:00');
  const [themeId, setThemeId] = useState('');
  const [topicId, setTopicId] = useState('');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [attendees, setAttendees] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [suggestions, setSuggestions] = useState<SuggestionRow[]>([]);
  const [outcomes, setOutcomes] = useState<OutcomeRow[]>([]);
  const [note, setNote] = useState('');
  const [scan, setScan] = useState<File | null>(null);
  const [nextKey, setNextKey] = useState(1);
  const [noAttendee, setNoAttendee] = useState(false);
  const [done, setDone] = useState<PaperSessionView | null>(null);
  const action = useAction();

  const conveners = people.filter((p) => p.kind === 'member');
  const officials = people.filter((p) => p.kind === 'official');
  const shown = people.filter((p) => p.kind !== 'guest' && (filter === '' || p.name.includes(filter.trim())));
  const signed = people.filter((p) => attendees.has(p.id));

  const toggle = (memberId: string, on: boolean) => {
    setAttendees((prev) => {
      const next = new Set(prev);
      if (on) next.add(memberId);
      else next.delete(memberId);
      return next;
    });
  };
  const key = () => {
    setNextKey((k) => k + 1);
    return nextKey;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    if (attendees.size === 0) {
      setNoAttendee(true);
      return;
    }
    setNoAttendee(false);
    await action.run(async () => {
      let saved = await recordPaperSession({
        title: title.trim(),
        roomId,
        date,
        time,
        topicId: topicId || null,
        themeId: topicId ? null : themeId || null,
        firstConvenerId: first,
        secondConvenerId: second || null,
        attendeeIds: [...attendees],
        suggestions: suggestions.map((s) => ({ authorId: s.authorId, text: s.text.trim() })),
        outcomes: outcomes.map((o) => ({ text: o.text.trim(), department: o.department.trim(), deadline: null })),
        note: note.trim(),
      });
      if (scan) saved = await uploadScan(saved.id, scan);
      setDone(saved);
    });
  };

  return (
    <form onSubmit={submit} className="panel stack" aria-labelledby={`${id}-title`} data-testid="paper-form">
      <h1 id={`${id}-title`}>{t('paperSession.title')}</h1>
      <p className="hint">{t('paperSession.intro')}</p>
      <Field label={t('paperSession.subject')}>
        <input type="text" value={title} maxLength={120} required onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <Field label={t('paperSession.room')}>
        <select value={roomId} required onChange={(e) => setRoomId(e.target.value)}>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('paperSession.date')}>
        <input type="date" value={date} max={committeeToday()} required onChange={(e) => setDate(e.target.value)} />
      </Field>
      <Field label={t('paperSession.time')}>
        <input type="time" value={time} required onChange={(e) => setTime(e.target.value)} />
      </Field>
      <Field label={t('paperSession.topic')} hint={t('paperSession.topicHint')}>
        <select value={topicId} onChange={(e) => setTopicId(e.target.value)}>
          <option value="">{t('paperSession.noTopic')}</option>
          {topics.map((tp) => (
            <option key={tp.id} value={tp.id}>
              {tp.title}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('paperSession.theme')}>
        <select value={topicId ? '' : themeId} disabled={topicId !== ''} onChange={(e) => setThemeId(e.target.value)}>
          <option value="">{t('paperSession.noTheme')}</option>
          {themes
            .filter((th) => !th.retired)
            .map((th) => (
              <option key={th.id} value={th.id}>
                {th.name}
              </option>
            ))}
        </select>
      </Field>
      <Field label={t('paperSession.firstConvener')}>
        <select value={first} required onChange={(e) => setFirst(e.target.value)}>
          <PeopleOptions people={conveners} empty="" />
        </select>
      </Field>
      <Field label={t('paperSession.secondConvener')}>
        <select value={second} onChange={(e) => setSecond(e.target.value)}>
          <PeopleOptions people={officials} empty={t('paperSession.none')} withTitle />
        </select>
      </Field>

      <fieldset aria-describedby={`${id}-att-hint`} data-testid="paper-attendees">
        <legend>{t('paperSession.attendees')}</legend>
        <p id={`${id}-att-hint`} className="hint">
          {t('paperSession.attendeesHint')}
        </p>
        <Field label={t('paperSession.filter')}>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </Field>
        <ul className="paper-attendees">
          {shown.slice(0, paperLimits.maxAttendees).map((p) => (
            <li key={p.id}>
              <Field label={p.name} check>
                <input type="checkbox" checked={attendees.has(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
              </Field>
            </li>
          ))}
        </ul>
        {noAttendee && (
          <p role="alert" className="field-error">
            {t('paperSession.pickAttendee')}
          </p>
        )}
      </fieldset>

      <fieldset data-testid="paper-suggestions">
        <legend>{t('paperSession.suggestions')}</legend>
        {suggestions.map((s, n) => (
          <div key={s.key} className="stack">
            <Field label={`${t('paperSession.author')} ${n + 1}`}>
              <select
                value={s.authorId}
                required
                onChange={(e) =>
                  setSuggestions((l) => l.map((x) => (x.key === s.key ? { ...x, authorId: e.target.value } : x)))
                }
              >
                <PeopleOptions people={signed} empty="" />
              </select>
            </Field>
            <Field label={t('paperSession.suggestionText')}>
              <textarea
                value={s.text}
                required
                maxLength={2000}
                onChange={(e) =>
                  setSuggestions((l) => l.map((x) => (x.key === s.key ? { ...x, text: e.target.value } : x)))
                }
              />
            </Field>
            <button type="button" onClick={() => setSuggestions((l) => l.filter((x) => x.key !== s.key))}>
              {t('paperSession.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setSuggestions((l) => [...l, { key: key(), authorId: '', text: '' }])}
          disabled={suggestions.length >= paperLimits.maxSuggestions}
        >
          {t('paperSession.addSuggestion')}
        </button>
      </fieldset>

      <fieldset data-testid="paper-outcomes">
        <legend>{t('paperSession.outcomes')}</legend>
        {outcomes.map((o, n) => (
          <div key={o.key} className="stack">
            <Field label={`${t('paperSession.outcomeText')} ${n + 1}`}>
              <textarea
                value={o.text}
                required
                maxLength={2000}
                onChange={(e) =>
                  setOutcomes((l) => l.map((x) => (x.key === o.key ? { ...x, text: e.target.value } : x)))
                }
              />
            </Field>
            <Field label={t('paperSession.department')}>
              <input
                type="text"
                value={o.department}
                required
                maxLength={100}
                onChange={(e) =>
                  setOutcomes((l) => l.map((x) => (x.key === o.key ? { ...x, department: e.target.value } : x)))
                }
              />
            </Field>
            <button type="button" onClick={() => setOutcomes((l) => l.filter((x) => x.key !== o.key))}>
              {t('paperSession.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setOutcomes((l) => [...l, { key: key(), text: '', department: '' }])}
          disabled={outcomes.length >= paperLimits.maxOutcomes}
        >
          {t('paperSession.addOutcome')}
        </button>
      </fieldset>

      <Field label={t('paperSession.note')}>
        <textarea value={note} maxLength={paperLimits.maxNoteLength} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <Field label={t('paperSession.scan')}>
        <input type="file" accept="image/*,application/pdf" onChange={(e) => setScan(e.target.files?.[0] ?? null)} />
      </Field>
      <button type="submit" disabled={action.busy} data-testid="paper-submit">
        {action.busy ? t('paperSession.saving') : t('paperSession.submit')}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      {done && (
        <p role="status" data-testid="paper-recorded">
          {t('paperSession.done', {
            attendees: done.attendees,
            suggestions: done.suggestions,
            outcomes: done.outcomes,
            scans: done.scans.length,
          })}
          {done.pendingSteps.length > 0 &&
            t('paperSession.pending', { steps: done.pendingSteps.join(t('common.listSeparator')) })}
        </p>
      )}
    </form>
  );
}

function PaperSessionLoader() {
  const { t } = useTranslation();
  const isStaff = useAppStore((s) => s.me?.kind === 'staff');
  const load = useLoad(
    async () => {
      const [rooms, people, themes, all] = await Promise.all([
        fetchRooms(),
        fetchPeople(),
        fetchThemes(),
        fetchTopics(),
      ]);
      // Topics a session can still deliberate: accepted and not yet closed.
      const open = new Set(['accepted', 'scheduled', 'deliberated', 'inProgress']);
      return { rooms, people, themes, topics: all.filter((tp) => open.has(tp.state)) };
    },
    [isStaff],
    { when: isStaff },
  );
  const { data } = load;
  if (!isStaff) {
    return (
      <p className="page field-error" role="alert">
        {t('paperSession.staffOnly')}
      </p>
    );
  }
  if (load.error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${load.error}`)}
      </p>
    );
  }
  if (!data) return <p className="page hint">{t('app.loading')}</p>;
  return <PaperForm {...data} />;
}

/** /paper-sessions: staff record a consultation held outside Yitang. */
export function PaperSessionPage() {
  return (
    <div className="page">
      <SignedIn returnTo={paperSessionsPath}>{() => <PaperSessionLoader />}</SignedIn>
    </div>
  );
}
