import { ballotCount, type Choice, decide, type PollView, type Tally } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { mayEmit } from './permissions';
import { castVote, closePoll } from './roomSocket';

const choices: readonly Choice[] = ['yes', 'no', 'abstain'];

function TallyBars({ tally }: { tally: Tally }) {
  const { t } = useTranslation();
  const total = ballotCount(tally);
  return (
    <div className="tally">
      <dl className="tally__rows" aria-label={t('poll.tallyLabel')}>
        {choices.map((choice) => (
          <div key={choice} className={`tally__row tally__row--${choice}`}>
            <dt>{t(`poll.choice.${choice}`)}</dt>
            <dd>
              <span className="tally__bar" aria-hidden="true">
                <span style={{ width: total === 0 ? '0%' : `${(tally[choice] / total) * 100}%` }} />
              </span>
              <span className="tally__count" data-testid={`tally-${choice}`}>
                {tally[choice]}
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="tally__total">{t('poll.ballots', { count: total })}</p>
    </div>
  );
}

function VoteButtons({ poll }: { poll: PollView }) {
  const { t } = useTranslation();
  const pending = useAppStore((s) => s.pendingBallots[poll.id]);
  return (
    <fieldset className="votes" aria-busy={pending ? true : undefined}>
      <legend className="visually-hidden">{t('poll.votesLabel')}</legend>
      {choices.map((choice) => (
        <button
          key={choice}
          type="button"
          className={`button vote vote--${choice}`}
          disabled={pending !== undefined}
          aria-label={t('poll.voteLabel', { question: poll.question, choice: t(`poll.choice.${choice}`) })}
          onClick={() => castVote(poll.id, choice)}
          data-testid={`vote-${choice}`}
        >
          {t(`poll.choice.${choice}`)}
        </button>
      ))}
      {pending && <span className="hint">{t('poll.sending')}</span>}
    </fieldset>
  );
}

export function PollCard({ pollId }: { pollId: string }) {
  const { t } = useTranslation();
  const poll = useAppStore((s) => s.polls.find((p) => p.id === pollId));
  const myChoice = useAppStore((s) => s.myBallots[pollId]);
  const canClose = useAppStore((s) => mayEmit(s.you?.role, 'poll:close'));
  if (!poll) return null;
  const isOpen = poll.state === 'open';
  const outcome = poll.outcome ?? decide(poll.tally);
  const headingId = `poll-${poll.id}-question`;

  return (
    <li className={`poll poll--${poll.state}`} data-testid={`poll-${poll.id}`} aria-labelledby={headingId}>
      <div className="poll__head">
        <h3 id={headingId}>{poll.question}</h3>
        <span className={`badge badge--${isOpen ? 'live' : 'closed'}`} data-testid="poll-state" data-state={poll.state}>
          {t(`poll.state.${poll.state}`)}
        </span>
      </div>
      <TallyBars tally={poll.tally} />
      {!isOpen && (
        <p className={`outcome outcome--${outcome}`} data-testid="poll-outcome" data-outcome={outcome}>
          {t('poll.outcomeLabel', { outcome: t(`poll.outcome.${outcome}`) })}
        </p>
      )}
      {myChoice && (
        <p className="poll__mine" data-testid="poll-my-choice" data-choice={myChoice}>
          {t('poll.yourChoice', { choice: t(`poll.choice.${myChoice}`) })}
        </p>
      )}
      {isOpen && !myChoice && <VoteButtons poll={poll} />}
      {isOpen && canClose && (
        <button
          type="button"
          className="button"
          aria-label={t('poll.closeLabel', { question: poll.question })}
          onClick={() => closePoll(poll.id)}
          data-testid="poll-close"
        >
          {t('poll.close')}
        </button>
      )}
    </li>
  );
}
