import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Section } from '../../components/Section';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { PollBuilder } from './PollBuilder';
import { PollCard } from './PollCard';
import { byRelevance } from './pollText';

/** The polls of the room (drafts only for those who can open them), and the builder for conveners. */
export function PollPanel() {
  const { t } = useTranslation();
  const open = useCapability('poll:open');
  const create = useCapability('poll:create');
  const [editingId, setEditingId] = useState<string | null>(null);
  const pollIds = useAppStore(
    useShallow((s) =>
      s.polls
        .filter((p) => p.stage !== 'draft' || open.shown)
        .sort(byRelevance)
        .map((p) => p.id),
    ),
  );
  const editing = useAppStore((s) => s.polls.find((p) => p.id === editingId && p.stage === 'draft') ?? null);
  const builderTitle = editing ? t('poll.builder.editTitle') : t('poll.builder.title');

  return (
    <>
      <Section title={t('poll.title')} titleText={t('poll.title')} testId="poll-panel">
        {pollIds.length === 0 ? (
          <p className="muted">{t('poll.empty')}</p>
        ) : (
          <ul className="polls" data-testid="poll-list">
            {pollIds.map((id) => (
              <PollCard key={id} pollId={id} onEdit={setEditingId} />
            ))}
          </ul>
        )}
      </Section>
      {create.shown && create.hindrance !== 'closed' && (
        <Section
          title={builderTitle}
          titleText={builderTitle}
          collapsible
          revealKey={editing?.id ?? null}
          className="console"
          testId="poll-builder-panel"
        >
          <PollBuilder editing={editing} onDone={() => setEditingId(null)} />
        </Section>
      )}
    </>
  );
}
