import {
  type ConsultationGroupView,
  type ConsultationSuggestionView,
  type ConsultationView,
  conceptLexicon,
  consultationLimits,
} from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { Link, sessionPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import {
  bringGroup,
  fetchConsultation,
  fetchPublic,
  hideSuggestion,
  postPublic,
  postSuggestion,
  saveSettings,
  supportPublic,
  supportSuggestion,
} from './api';
import './consultation.css';

/** How the board reaches the server: signed in by topic, or as a citizen by the public code. */
export type BoardAccess = { kind: 'member'; topicId: string } | { kind: 'public'; code: string; visitor: string };

interface Send {
  post(
    text: string,
    parentId: string | null,
    extra?: { name?: string; onBehalf?: { name?: string; receivedAt: string } },
  ): Promise<ConsultationView>;
  support(id: string): Promise<ConsultationView>;
}

function sender(access: BoardAccess): Send {
  if (access.kind === 'member') {
    return {
      post: (text, parentId, extra) =>
        postSuggestion(access.topicId, { text, parentId, ...(extra?.onBehalf ? { onBehalf: extra.onBehalf } : {}) }),
      support: (id) => supportSuggestion(access.topicId, id),
    };
  }
  return {
    post: (text, parentId, extra) =>
      postPublic(access.code, {
        text,
        parentId,
        visitor: access.visitor,
        ...(extra?.name ? { name: extra.name } : {}),
      }),
    support: (id) => supportPublic(access.code, id, access.visitor),
  };
}

const conceptName = (id: string, language: string) => {
  const c = conceptLexicon.find((x) => x.id === id);
  return c ? (language.startsWith('zh') ? c.zh : c.en) : id;
};

/** The day in China time as YYYY-MM-DD, for the received-on field. */
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/**
 * 意见征集: its state and times, the form, and the suggestions by group with their support by
 * role, +1, replies, staff's hiding and the conveners' "bring into the session". Phone first:
 * one column, groups as collapsible sections.
 */
export function ConsultationBoard({ access }: { access: BoardAccess }) {
  const { t, i18n } = useTranslation();
  const key = access.kind === 'member' ? access.topicId : access.code;
  const visitor = access.kind === 'public' ? access.visitor : '';
  // The access is named by its key; each action's answer replaces the view in place.
  const {
    data: view,
    error,
    setData: setView,
  } = useLoad(
    () => (access.kind === 'member' ? fetchConsultation(access.topicId) : fetchPublic(access.code, visitor)),
    [key, visitor],
    { keep: true },
  );

  if (error && !view) {
    return (
      <p role="alert" className="field-error">
        {t('consultation.loadFailed', { error: t(`errors.${error}`) })}
      </p>
    );
  }
  if (!view) {
    return (
      <p className="hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const send = sender(access);
  const grouped = new Set(view.groups.flatMap((g) => g.suggestionIds));
  const loose = view.suggestions.filter((s) => s.parentId === null && !grouped.has(s.id));
  return (
    <div className="consultation" data-testid="consultation" data-state={view.state}>
      <p className="consultation-times">
        <span className={`consultation-state consultation-state--${view.state}`} data-testid="consultation-state">
          {t(`consultation.state.${view.state}`)}
        </span>
        {view.opensAt && (
          <span>{t('consultation.opensAt', { time: formatDateTime(view.opensAt, i18n.language) })}</span>
        )}
        <span>
          {view.closesAt
            ? t('consultation.closesAt', { time: formatDateTime(view.closesAt, i18n.language) })
            : t('consultation.closesAfter', { days: view.closeAfterDays })}
        </span>
      </p>
      {view.publicCode && <PublicLink code={view.publicCode} />}
      {access.kind === 'member' && view.maySetDays && (
        <Settings topicId={access.topicId} view={view} onView={setView} />
      )}
      {view.mayPost ? (
        <SuggestionForm send={send} publicPage={access.kind === 'public'} staff={view.mayModerate} onView={setView} />
      ) : (
        view.state !== 'open' && <p className="hint">{t('consultation.notOpen')}</p>
      )}
      <h2 id="consultation-groups">{t('consultation.groups', { count: view.groups.length })}</h2>
      {view.suggestions.length === 0 && <p className="hint">{t('consultation.empty')}</p>}
      <ol className="consultation-groups" aria-labelledby="consultation-groups">
        {view.groups.map((g) => (
          <Group key={g.id} group={g} view={view} access={access} send={send} onView={setView} />
        ))}
      </ol>
      {loose.length > 0 && (
        <ul className="consultation-suggestions">
          {loose.map((s) => (
            <Suggestion key={s.id} s={s} view={view} access={access} send={send} onView={setView} />
          ))}
        </ul>
      )}
    </div>
  );
}

function PublicLink({ code }: { code: string }) {
  const { t } = useTranslation();
  const link = `${window.location.origin}/c/${code}`;
  return (
    <Field label={t('consultation.publicLink')} hint={t('consultation.publicLinkHint')} className="consultation-link">
      <input
        type="text"
        readOnly
        value={link}
        data-testid="consultation-public-link"
        onFocus={(e) => e.currentTarget.select()}
      />
    </Field>
  );
}

function Settings({
  topicId,
  view,
  onView,
}: {
  topicId: string;
  view: ConsultationView;
  onView: (v: ConsultationView) => void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState(String(view.closeAfterDays));
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => onView(await saveSettings(topicId, Number(days))));
  };
  return (
    <form className="row consultation-settings" onSubmit={submit}>
      <Field label={t('consultation.settings.days')} className="field--inline">
        <input
          className="input--narrow"
          type="number"
          // An empty box would be sent as 0 days: the browser asks for a number instead.
          required
          min={0}
          max={consultationLimits.maxCloseAfterDays}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          data-testid="consultation-days"
        />
      </Field>
      <button type="submit" className="button button--small" disabled={action.busy}>
        {t('consultation.settings.save')}
      </button>
      {action.error && (
        <span role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </span>
      )}
    </form>
  );
}

function SuggestionForm({
  send,
  publicPage,
  staff,
  onView,
}: {
  send: Send;
  publicPage: boolean;
  staff: boolean;
  onView: (v: ConsultationView) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [onBehalf, setOnBehalf] = useState(false);
  const [receivedAt, setReceivedAt] = useState(today());
  const [sent, setSent] = useState(false);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') return;
    setSent(false);
    void action
      .run(async () => {
        const extra = onBehalf
          ? // Noon China time of the day it was received.
            { onBehalf: { receivedAt: `${receivedAt}T12:00:00+08:00`, ...(name.trim() ? { name: name.trim() } : {}) } }
          : name.trim()
            ? { name: name.trim() }
            : undefined;
        onView(await send.post(text.trim(), null, extra));
      })
      .then((ok) => {
        if (!ok) return;
        setText('');
        setSent(true);
      });
  };
  return (
    <form className="panel form consultation-form" onSubmit={submit} data-testid="consultation-form">
      <Field label={t('consultation.form.text')}>
        <textarea
          rows={3}
          maxLength={consultationLimits.maxTextLength}
          value={text}
          onChange={(e) => setText(e.target.value)}
          required
          data-testid="consultation-text"
        />
      </Field>
      {staff && (
        <Field label={t('consultation.form.onBehalf')} check>
          <input
            type="checkbox"
            checked={onBehalf}
            onChange={(e) => setOnBehalf(e.target.checked)}
            data-testid="consultation-on-behalf"
          />
        </Field>
      )}
      {(publicPage || onBehalf) && (
        <Field label={t(onBehalf ? 'consultation.form.onBehalfName' : 'consultation.form.name')}>
          <input
            type="text"
            maxLength={consultationLimits.maxNameLength}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="consultation-name"
          />
        </Field>
      )}
      {onBehalf && (
        <Field label={t('consultation.form.receivedAt')}>
          <input
            type="date"
            max={today()}
            value={receivedAt}
            onChange={(e) => setReceivedAt(e.target.value)}
            data-testid="consultation-received"
          />
        </Field>
      )}
      <button type="submit" className="button button--primary" disabled={action.busy} data-testid="consultation-submit">
        {action.busy ? t('consultation.form.saving') : t('consultation.form.submit')}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      {sent && (
        <p role="status" className="hint" data-testid="consultation-sent">
          {t('consultation.form.sent')}
        </p>
      )}
    </form>
  );
}

interface ItemProps {
  view: ConsultationView;
  access: BoardAccess;
  send: Send;
  onView: (v: ConsultationView) => void;
}

function Group({ group, ...props }: ItemProps & { group: ConsultationGroupView }) {
  const { t, i18n } = useTranslation();
  const { view, access, onView } = props;
  const action = useAction();
  const items = group.suggestionIds
    .map((id) => view.suggestions.find((s) => s.id === id))
    .filter((s): s is ConsultationSuggestionView => s !== undefined);
  const headingId = `cg-${group.id}`;
  return (
    <li
      className="panel consultation-group"
      data-testid={`consultation-group-${group.number}`}
      data-group-id={group.id}
    >
      <h3 id={headingId}>
        {t('consultation.group', { number: group.number })}
        {group.concepts.length > 0 && (
          <span className="consultation-concepts">
            {' '}
            · {group.concepts.map((c) => conceptName(c, i18n.language)).join(t('common.listSeparator'))}
          </span>
        )}
      </h3>
      <p className="consultation-meta" data-testid="consultation-group-support">
        {t('consultation.groupCount', { count: items.length })} · {t('consultation.support', group.support)}
      </p>
      {group.broughtTo ? (
        <div className="consultation-brought" data-testid="consultation-brought">
          <p>
            {t('consultation.brought', {
              name: group.broughtTo.byName,
              time: formatDateTime(group.broughtTo.at, i18n.language),
            })}{' '}
            {access.kind === 'member' && (
              <Link to={sessionPath(group.broughtTo.sessionId)}>{t('consultation.openRoom')}</Link>
            )}
          </p>
          {group.outcomes.length > 0 && (
            <>
              <p>{t('consultation.outcomes')}</p>
              <ul>
                {group.outcomes.map((o) => (
                  <li key={o.id}>{o.text}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        access.kind === 'member' &&
        view.mayBring && (
          <button
            type="button"
            className="button button--small"
            disabled={action.busy}
            data-testid="consultation-bring"
            aria-describedby={headingId}
            onClick={() => void action.run(async () => onView(await bringGroup(access.topicId, group.id)))}
          >
            {t('consultation.bring')}
          </button>
        )
      )}
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      <ul className="consultation-suggestions" aria-labelledby={headingId}>
        {items.map((s) => (
          <Suggestion key={s.id} s={s} {...props} />
        ))}
      </ul>
    </li>
  );
}

function Suggestion({ s, ...props }: ItemProps & { s: ConsultationSuggestionView }) {
  const { t, i18n } = useTranslation();
  const { view, access, send, onView } = props;
  const action = useAction();
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const replies = view.suggestions.filter((r) => r.parentId === s.id);
  const count = s.support.member + s.support.department + s.support.citizen;
  const sendReply = (e: FormEvent) => {
    e.preventDefault();
    if (reply.trim() === '') return;
    void action
      .run(async () => onView(await send.post(reply.trim(), s.id)))
      .then((ok) => {
        if (!ok) return;
        setReply('');
        setReplying(false);
      });
  };
  return (
    <li
      className={s.hidden ? 'consultation-suggestion consultation-suggestion--hidden' : 'consultation-suggestion'}
      data-testid="consultation-suggestion"
      data-suggestion-id={s.id}
    >
      <p className="consultation-text">
        {s.text}
        {s.hidden && <span className="muted"> {t('consultation.hidden')}</span>}
      </p>
      <p className="consultation-meta">
        {t('common.withAside', { main: s.authorName, aside: t(`consultation.role.${s.authorRole}`) })} ·{' '}
        {formatDateTime(s.createdAt, i18n.language)}
      </p>
      <div className="row consultation-actions">
        {view.mayPost && (
          <button
            type="button"
            className="button button--small"
            aria-pressed={s.supportedByMe}
            aria-label={t('consultation.plusOneLabel', { count })}
            disabled={action.busy || s.supportedByMe}
            data-testid="consultation-plus"
            onClick={() => void action.run(async () => onView(await send.support(s.id)))}
          >
            {s.supportedByMe ? t('consultation.supported', { count }) : t('consultation.plusOne', { count })}
          </button>
        )}
        {!view.mayPost && count > 0 && <span className="muted">{t('consultation.plusOne', { count })}</span>}
        {view.mayPost && s.parentId === null && (
          <button
            type="button"
            className="button button--small"
            aria-expanded={replying}
            onClick={() => setReplying(!replying)}
          >
            {t('consultation.reply')}
          </button>
        )}
        {access.kind === 'member' && view.mayModerate && (
          <button
            type="button"
            className="button button--small"
            disabled={action.busy}
            data-testid="consultation-hide"
            onClick={() => void action.run(async () => onView(await hideSuggestion(access.topicId, s.id, !s.hidden)))}
          >
            {s.hidden ? t('consultation.show') : t('consultation.hide')}
          </button>
        )}
      </div>
      {replying && (
        <form className="row consultation-reply" onSubmit={sendReply}>
          <Field label={t('consultation.replyTo')} labelClassName="visually-hidden" className="field--inline">
            <input
              type="text"
              maxLength={consultationLimits.maxTextLength}
              value={reply}
              onChange={(e) => setReply(e.target.value)}
            />
          </Field>
          <button type="submit" className="button button--small" disabled={action.busy}>
            {t('consultation.sendReply')}
          </button>
        </form>
      )}
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      {replies.length > 0 && (
        <ul className="consultation-replies">
          {replies.map((r) => (
            <Suggestion key={r.id} s={r} {...props} />
          ))}
        </ul>
      )}
    </li>
  );
}
