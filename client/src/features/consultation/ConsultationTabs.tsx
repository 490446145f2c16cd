import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsultationBoard } from './ConsultationBoard';

const tabs = ['trail', 'consultation'] as const;
type Tab = (typeof tabs)[number];

/**
 * The topic page's two tabs: its progress (the trail, `children`) and its consultation (意见征集).
 * A tablist with arrow keys, as screen readers expect; `#consultation` in the address opens the second.
 */
export function ConsultationTabs({ topicId, children }: { topicId: string; children: ReactNode }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>(() => (window.location.hash === '#consultation' ? 'consultation' : 'trail'));
  const refs = useRef<Record<Tab, HTMLButtonElement | null>>({ trail: null, consultation: null });
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length] ?? 'trail';
    setTab(next);
    refs.current[next]?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={t('consultation.tabs.label')} className="consultation-tabs">
        {tabs.map((x) => (
          <button
            key={x}
            ref={(el) => {
              refs.current[x] = el;
            }}
            type="button"
            role="tab"
            id={`topic-tab-${x}`}
            aria-selected={tab === x}
            aria-controls={`topic-panel-${x}`}
            tabIndex={tab === x ? 0 : -1}
            onClick={() => setTab(x)}
            onKeyDown={onKey}
            data-testid={`topic-tab-${x}`}
          >
            {t(`consultation.tabs.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`topic-panel-${tab}`} aria-labelledby={`topic-tab-${tab}`}>
        {tab === 'trail' ? children : <ConsultationBoard access={{ kind: 'member', topicId }} />}
      </div>
    </>
  );
}
