import type { PollResult, PollSettings, PollView } from '@yitang/shared';
import { useTranslation } from 'react-i18next';

/** An option's label by id (yes/no choices are translated). */
export function useOptionLabel(): (settings: PollSettings, optionId: string) => string {
  const { t } = useTranslation();
  return (settings, optionId) => {
    if (settings.kind === 'yesno') {
      return optionId === 'yes' || optionId === 'no' || optionId === 'abstain'
        ? t(`poll.choice.${optionId}`)
        : optionId;
    }
    return settings.options.find((o) => o.id === optionId)?.label ?? optionId;
  };
}

/** A machine-readable name of the outcome, for `data-outcome`. */
export function outcomeKey(result: PollResult): string {
  return result.kind === 'yesno' ? result.outcome : result.outcome.type;
}

/** The outcome of a poll in words, per kind (voting/README.md "Outcomes"). */
export function useOutcomeText(): (settings: PollSettings, result: PollResult) => string {
  const { t } = useTranslation();
  const label = useOptionLabel();
  const list = (settings: PollSettings, ids: string[]) =>
    ids.map((id) => label(settings, id)).join(t('common.listSeparator'));
  return (settings, result) => {
    if (result.kind === 'yesno') return t(`poll.outcome.${result.outcome}`);
    const o = result.outcome;
    switch (o.type) {
      case 'noQuorum':
        return t('poll.outcome.noQuorum');
      case 'noMajority':
        return t('poll.outcome.noMajority');
      case 'elected':
        return t('poll.outcome.elected', { winner: label(settings, o.winner) });
      case 'tie':
        return t('poll.outcome.tie', { tied: list(settings, o.tied) });
      case 'decided': {
        const parts: string[] = [];
        if (o.elected.length > 0) parts.push(t('poll.outcome.decided', { elected: list(settings, o.elected) }));
        if (o.tied.length > 0)
          parts.push(t('poll.outcome.decidedTie', { tied: list(settings, o.tied), seats: o.tiedSeats }));
        return parts.length > 0 ? parts.join(t('common.clauseSeparator')) : t('poll.outcome.decidedNone');
      }
    }
  };
}

/** Polls most relevant first: open, then drafts, then closed and published, newest first within each. */
export function byRelevance(a: PollView, b: PollView): number {
  const rank = { open: 0, draft: 1, closed: 2, published: 3 } as const;
  if (a.stage !== b.stage) return rank[a.stage] - rank[b.stage];
  return (b.openedAt ?? '').localeCompare(a.openedAt ?? '');
}
