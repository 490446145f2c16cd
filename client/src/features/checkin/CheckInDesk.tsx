import { type BallotContent, limits, MemberView, mayVote } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { Section } from '../../components/Section';
import { newUuid } from '../../lib/ids';
import { useAppStore } from '../../store';
import { BallotForm } from '../polls/BallotForm';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';
import { PaperBatchForm } from './PaperBatchForm';

/** Find a participant by name and check them in. */
function CheckInSearch() {
  const { t } = useTranslation();
  const ids = { error: useId(), results: useId() };
  const search = useCapability('checkin:search');
  const checkIn = useCapability('checkin:member');
  const inHall = useAppStore(useShallow((s) => s.presence.filter((p) => p.inHall).map((p) => p.memberId)));
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<MemberView[] | null>(null);
  const [empty, setEmpty] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = query.trim();
    if (q === '') {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    setBusy(true);
    const res = await call('checkin:search', { query: q });
    setBusy(false);
    if (!res.ok) return;
    const parsed = MemberView.array().safeParse(res.data);
    setResults(parsed.success ? parsed.data : []);
  };

  const disabled = search.hindrance !== null;
  return (
    <div className="checkin-search">
      <form className="row row--wrap" onSubmit={submit} noValidate>
        <Field label={t('checkin.search')} className="field--row">
          <input
            type="search"
            value={query}
            maxLength={limits.maxSearchLength}
            disabled={disabled}
            onChange={(e) => setQuery(e.target.value)}
            aria-invalid={empty || undefined}
            aria-describedby={empty ? ids.error : undefined}
            data-testid="checkin-search"
          />
        </Field>
        <button type="submit" className="button" disabled={disabled || busy} data-testid="checkin-search-submit">
          {t('checkin.searchSubmit')}
        </button>
      </form>
      {empty && (
        <p id={ids.error} className="field-error" role="alert">
          {t('checkin.searchEmpty')}
        </p>
      )}
      <p role="status" className="hint" data-testid="checkin-status">
        {done && t('checkin.done', { name: done })}
        {results !== null && results.length === 0 && t('checkin.noResults')}
      </p>
      {results !== null && results.length > 0 && (
        <ul className="checkin-results" aria-label={t('checkin.resultsLabel')} data-testid="checkin-results">
          {results.map((m) => {
            const here = inHall.includes(m.id);
            return (
              <li key={m.id} className="row row--between">
                <span>
                  <span className="presence__name">{m.name}</span> <span className="muted">{m.title}</span>
                </span>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('checkin.checkInLabel', { name: m.name })}
                  disabled={here || checkIn.hindrance !== null}
                  onClick={async () => {
                    const res = await call('checkin:member', { memberId: m.id });
                    if (res.ok) setDone(m.name);
                  }}
                  data-testid={`checkin-member-${m.id}`}
                  data-in-hall={here}
                >
                  {here ? t('checkin.alreadyIn') : t('checkin.checkIn')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Staff enter the paper ballot of someone checked in in the hall. */
function PaperBallot() {
  const { t } = useTranslation();
  const ids = { note: useId(), batchNote: useId() };
  const paper = useCapability('vote:paper');
  const batch = useCapability('vote:paperBatch');
  const people = useAppStore(useShallow((s) => s.presence.filter((p) => p.inHall)));
  const openPolls = useAppStore(useShallow((s) => s.polls.filter((p) => p.stage === 'open')));
  const [personId, setPersonId] = useState('');
  const [pollId, setPollId] = useState('');
  // One ballot id per attempt: kept across retries of the same ballot, fresh after success.
  const [ballotId, setBallotId] = useState(newUuid);
  const [formKey, setFormKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (!paper.shown) return null;

  const poll = openPolls.find((p) => p.id === pollId) ?? null;
  // A secret poll's paper ballots go in anonymous batches: no person is chosen for them.
  const secret = poll?.settings.secret ?? false;
  const person = people.find((p) => p.memberId === personId) ?? null;
  const voted = poll !== null && person !== null && poll.voters.includes(person.memberId);
  const eligible = poll !== null && person !== null && mayVote(poll.settings, person.role);

  const choose = (next: { person?: string; poll?: string }) => {
    if (next.person !== undefined) setPersonId(next.person);
    if (next.poll !== undefined) setPollId(next.poll);
    setBallotId(newUuid());
    setFormKey((k) => k + 1);
    setDone(null);
  };

  const cast = async (content: BallotContent) => {
    if (!poll || !person) return;
    setBusy(true);
    const res = await call('vote:paper', { pollId: poll.id, ballotId, memberId: person.memberId, content });
    setBusy(false);
    if (!res.ok) return;
    setDone(person.name);
    setBallotId(newUuid());
    setFormKey((k) => k + 1);
    setPersonId('');
  };

  return (
    <div className="paper-ballot" data-testid="paper-ballot">
      <h3>{t('checkin.paperTitle')}</h3>
      <p className="hint">{t('checkin.paperIntro')}</p>
      <HindranceNote id={ids.note} hindrance={paper.hindrance} />
      {openPolls.length === 0 ? (
        <p className="muted">{t('checkin.paperNoPolls')}</p>
      ) : people.length === 0 ? (
        <p className="muted">{t('checkin.paperNobody')}</p>
      ) : (
        <>
          <div className="row row--wrap">
            <Field label={t('checkin.paperPoll')}>
              <select
                value={poll ? pollId : ''}
                onChange={(e) => choose({ poll: e.target.value })}
                data-testid="paper-ballot-poll"
              >
                <option value="">{t('common.choose')}</option>
                {openPolls.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.settings.question}
                  </option>
                ))}
              </select>
            </Field>
            {!secret && (
              <Field label={t('checkin.paperPerson')}>
                <select
                  value={person ? personId : ''}
                  onChange={(e) => choose({ person: e.target.value })}
                  data-testid="paper-ballot-person"
                >
                  <option value="">{t('common.choose')}</option>
                  {people.map((p) => (
                    <option key={p.memberId} value={p.memberId}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </div>
          {poll && secret && (
            <>
              <h4>{t('checkin.batchTitle')}</h4>
              <HindranceNote id={ids.batchNote} hindrance={batch.hindrance} />
              <PaperBatchForm
                key={poll.id}
                poll={poll}
                disabled={batch.hindrance !== null}
                {...(batch.hindrance ? { disabledReasonId: ids.batchNote } : {})}
              />
            </>
          )}
          {!secret && poll && person && voted && <p className="hint">{t('checkin.paperVoted')}</p>}
          {!secret && poll && person && !voted && !eligible && <p className="hint">{t('checkin.paperNotEligible')}</p>}
          {!secret && poll && person && !voted && eligible && (
            <BallotForm
              key={`${formKey}:${poll.id}:${person.memberId}`}
              settings={poll.settings}
              onCast={(content) => void cast(content)}
              busy={busy}
              disabled={paper.hindrance !== null}
              testPrefix="paper-ballot"
            />
          )}
        </>
      )}
      <p role="status" className="hint" data-testid="paper-ballot-status">
        {done && t('checkin.paperDone', { name: done })}
      </p>
    </div>
  );
}

/** Staff and conveners: the hall code, check-in by name, who is in the hall, paper ballots. */
export function CheckInDesk() {
  const { t } = useTranslation();
  const checkIn = useCapability('checkin:member');
  const hallCode = useAppStore((s) => s.hallCode);
  const inHall = useAppStore(useShallow((s) => s.presence.filter((p) => p.inHall)));
  if (!checkIn.shown) return null;
  return (
    <Section
      title={t('checkin.deskTitle')}
      titleText={t('checkin.deskTitle')}
      collapsible
      className="console"
      testId="checkin-desk"
    >
      {hallCode && (
        <div className="hall-code">
          <p className="hall-code__label">{t('checkin.hallCode')}</p>
          <p className="hall-code__value">
            <span aria-hidden="true" data-testid="hall-code">
              {hallCode}
            </span>
            <span className="visually-hidden">{hallCode.split('').join(' ')}</span>
          </p>
          <p className="hint">{t('checkin.hallCodeHint')}</p>
        </div>
      )}
      <CheckInSearch />
      <h3>{t('checkin.inHallTitle', { count: inHall.length })}</h3>
      {inHall.length === 0 ? (
        <p className="muted">{t('checkin.inHallEmpty')}</p>
      ) : (
        <ul className="in-hall" data-testid="in-hall-list">
          {inHall.map((p) => (
            <li key={p.memberId} data-testid={`in-hall-${p.memberId}`}>
              {p.name} <span className={`role role--${p.role}`}>{t(`roles.${p.role}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <PaperBallot />
    </Section>
  );
}
