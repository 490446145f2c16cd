import { type BallotContent, isBlankBallot, type PollSettings, type PollView } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { HindranceNote } from '../../components/HindranceNote';
import { useThrottled } from '../../lib/useThrottled';
import { useAppStore } from '../../store';
import { useCapability, useNameOf } from '../room/hooks';
import { inElectorate } from '../room/permissions';
import { call, castVote } from '../room/roomSocket';
import { hasVoted } from '../room/roomState';
import { BallotForm } from './BallotForm';
import { votersOf } from './electorate';
import { useOptionLabel, useOutcomeText } from './pollText';
import { ResultView, TallyView } from './TallyView';

/** A ballot in words, for "your vote". */
function useBallotText(): (settings: PollSettings, content: BallotContent) => string {
  const { t } = useTranslation();
  const label = useOptionLabel();
  return (settings, content) => {
    switch (content.kind) {
      case 'yesno':
        return t(`poll.choice.${content.choice}`);
      case 'single':
        return content.optionId === null ? '' : label(settings, content.optionId);
      case 'multiple':
        return content.optionIds.map((id) => label(settings, id)).join(t('common.listSeparator'));
      case 'ranking':
        return content.ranking.map((id) => label(settings, id)).join(' > ');
      case 'score':
        return Object.entries(content.scores)
          .map(([id, score]) => `${label(settings, id)} ${score}`)
          .join(t('common.listSeparator'));
    }
  };
}

/** Who has voted: a count against the present electorate, and the names on request. */
function Voters({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const nameOf = useNameOf();
  const total = useAppStore((s) => votersOf(s, poll));
  const count = poll.voters.length;
  return (
    <details className="voters" data-testid="poll-voters" data-count={count}>
      <summary>{total > 0 ? t('poll.votersOf', { count, total }) : t('poll.voters', { count })}</summary>
      {count === 0 ? (
        <p className="muted">{t('poll.votersNone')}</p>
      ) : (
        <ul className="voters__list" aria-label={t('poll.votersList')}>
          {poll.voters.map((id) => (
            <li key={id} data-testid={`voter-${id}`}>
              {nameOf(id)}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** Your part in the poll: the ballot, or what you voted, or why you cannot. */
function MyBallot({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const noteId = useId();
  const cast = useCapability('vote:cast');
  const role = useAppStore((s) => s.you?.role);
  const voted = useAppStore((s) => hasVoted(s, poll));
  const mine = useAppStore((s) => (Object.hasOwn(s.myBallots, poll.id) ? s.myBallots[poll.id] : undefined));
  const enteredBy = useAppStore((s) =>
    Object.hasOwn(s.myPaperBallots, poll.id) ? s.myPaperBallots[poll.id] : undefined,
  );
  const pending = useAppStore((s) => s.pendingBallots[poll.id] !== undefined);
  const ballotText = useBallotText();
  if (!inElectorate(role, poll.settings)) {
    return poll.stage === 'open' ? (
      <p className="hint" data-testid="poll-not-eligible">
        {t('poll.notEligible')}
      </p>
    ) : null;
  }
  if (voted) {
    let text = t('poll.voted');
    if (poll.settings.secret) text = t('poll.votedSecret');
    else if (mine && isBlankBallot(mine)) text = t('poll.yourBlank');
    else if (mine) text = t('poll.yourChoice', { choice: ballotText(poll.settings, mine) });
    if (enteredBy) text = `${text} ${t('poll.enteredOnPaper', { name: enteredBy })}`;
    return (
      <p
        className="poll__mine"
        data-testid="poll-my-vote"
        data-choice={mine?.kind === 'yesno' ? mine.choice : undefined}
      >
        {text}
      </p>
    );
  }
  if (poll.stage !== 'open' || !cast.shown) return null;
  return (
    <div className="poll__ballot" aria-busy={pending || undefined}>
      <BallotForm
        settings={poll.settings}
        onCast={(content) => castVote(poll.id, content)}
        busy={pending}
        disabled={cast.hindrance !== null}
        disabledReasonId={cast.hindrance ? noteId : undefined}
        testPrefix="vote"
      />
      <HindranceNote id={noteId} hindrance={cast.hindrance} />
      {pending && (
        <p className="hint" role="status">
          {t('poll.sending')}
        </p>
      )}
    </div>
  );
}

/** Conveners: open a draft, close an open poll, publish a closed one; edit a draft in the builder. */
function PollActions({ poll, onEdit }: { poll: PollView; onEdit: (pollId: string) => void }) {
  const { t } = useTranslation();
  const noteId = useId();
  const open = useCapability('poll:open');
  const close = useCapability('poll:close');
  const publish = useCapability('poll:publish');
  const edit = useCapability('poll:update');
  const question = poll.settings.question;
  const hindrance =
    poll.stage === 'draft' ? open.hindrance : poll.stage === 'open' ? close.hindrance : publish.hindrance;
  return (
    <div className="poll__actions">
      {poll.stage === 'draft' && open.shown && (
        <button
          type="button"
          className="button button--primary"
          aria-label={t('poll.openLabel', { question })}
          disabled={open.hindrance !== null}
          aria-describedby={open.hindrance ? noteId : undefined}
          onClick={() => void call('poll:open', { pollId: poll.id })}
          data-testid="poll-open"
        >
          {t('poll.open')}
        </button>
      )}
      {poll.stage === 'draft' && edit.shown && (
        <button
          type="button"
          className="button"
          aria-label={t('poll.editDraftLabel', { question })}
          disabled={edit.hindrance !== null}
          onClick={() => onEdit(poll.id)}
          data-testid="poll-edit"
        >
          {t('poll.editDraft')}
        </button>
      )}
      {poll.stage === 'open' && close.shown && (
        <button
          type="button"
          className="button"
          aria-label={t('poll.closeLabel', { question })}
          disabled={close.hindrance !== null}
          onClick={() => void call('poll:close', { pollId: poll.id })}
          data-testid="poll-close"
        >
          {t('poll.close')}
        </button>
      )}
      {poll.stage === 'closed' && publish.shown && (
        <button
          type="button"
          className="button button--primary"
          aria-label={t('poll.publishLabel', { question })}
          disabled={publish.hindrance !== null}
          onClick={() => void call('poll:publish', { pollId: poll.id })}
          data-testid="poll-publish"
        >
          {t('poll.publish')}
        </button>
      )}
      <HindranceNote id={noteId} hindrance={hindrance} />
    </div>
  );
}

/** A quiet, throttled count of ballots for screen readers while the poll is open. */
function BallotCountAnnouncer({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const count = useThrottled(poll.ballots, 5000);
  return (
    <p className="visually-hidden" aria-live="polite">
      {t('poll.tallyAnnounce', { question: poll.settings.question, count })}
    </p>
  );
}

export function PollCard({ pollId, onEdit }: { pollId: string; onEdit: (pollId: string) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const poll = useAppStore((s) => s.polls.find((p) => p.id === pollId));
  const outcomeText = useOutcomeText();
  if (!poll) return null;
  const { settings } = poll;
  const finished = poll.stage === 'closed' || poll.stage === 'published';

  return (
    <li className={`poll poll--${poll.stage}`} data-testid={`poll-${poll.id}`} aria-labelledby={headingId}>
      <div className="poll__head">
        <h3 id={headingId}>{settings.question}</h3>
        <span className={`badge badge--${poll.stage}`} data-testid="poll-state" data-state={poll.stage}>
          {t(`poll.stage.${poll.stage}`)}
        </span>
      </div>
      <p className="poll__meta">
        <span data-testid="poll-kind" data-kind={settings.kind}>
          {t(`poll.kinds.${settings.kind}`)}
        </span>
        {settings.kind === 'multiple' && <span>{t('poll.maxChoicesNote', { count: settings.maxChoices })}</span>}
        {settings.kind === 'score' && (
          <span>{t('poll.scoreRangeNote', { min: settings.scoreRange.min, max: settings.scoreRange.max })}</span>
        )}
        <span>{t(`poll.electorate.${settings.electorate}`)}</span>
        <span
          className={settings.secret ? 'badge badge--secret' : 'badge'}
          data-testid="poll-secret"
          data-secret={settings.secret}
        >
          {settings.secret ? t('poll.secret') : t('poll.named')}
        </span>
      </p>
      {poll.stage !== 'draft' && <Voters poll={poll} />}
      {poll.stage === 'open' && <BallotCountAnnouncer poll={poll} />}
      {poll.stage !== 'draft' &&
        (poll.tally ? (
          <TallyView settings={settings} tally={poll.tally} final={finished} />
        ) : (
          <p className="secret-note" data-testid="poll-secret-pending">
            {t(settings.secret ? 'poll.secretPending' : 'poll.rankingPending')}{' '}
            {t('poll.ballots', { count: poll.ballots })}
          </p>
        ))}
      {finished && poll.result && (
        <>
          <ResultView
            settings={settings}
            result={poll.result}
            presentElectorate={poll.presentElectorate}
            outcomeText={outcomeText(settings, poll.result)}
          />
          <p className="hint" data-testid="poll-published" data-published={poll.stage === 'published'}>
            {poll.stage === 'published' ? t('poll.publishedNote') : t('poll.closedNote')}
          </p>
        </>
      )}
      <MyBallot poll={poll} />
      <PollActions poll={poll} onEdit={onEdit} />
    </li>
  );
}
