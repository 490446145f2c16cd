import type { PollView } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';
import { OpenPollForm } from './OpenPollForm';
import { PollCard } from './PollCard';
import { mayEmit } from './permissions';

/** Open polls first, then the most recent. */
function byOpenThenNewest(a: PollView, b: PollView): number {
  if (a.state !== b.state) return a.state === 'open' ? -1 : 1;
  return b.openedAt.localeCompare(a.openedAt);
}

export function PollPanel() {
  const { t } = useTranslation();
  const pollIds = useAppStore(useShallow((s) => [...s.polls].sort(byOpenThenNewest).map((p) => p.id)));
  const canOpen = useAppStore((s) => mayEmit(s.you?.role, 'poll:open'));
  return (
    <section className="panel" aria-labelledby="polls-title">
      <h2 id="polls-title">{t('poll.title')}</h2>
      {canOpen && <OpenPollForm />}
      {pollIds.length === 0 ? (
        <p className="muted">{t('poll.empty')}</p>
      ) : (
        <ul className="polls" data-testid="poll-list">
          {pollIds.map((id) => (
            <PollCard key={id} pollId={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
