import {
  type MemberView,
  type ProposalActionBody,
  type ProposalActionType,
  ProposalFeedback,
  type ProposalListScope,
  type ProposalResponse,
  type ProposalState,
  type ProposalStatsRow,
  type ProposalView,
  ProposerKind,
  proposalLimits,
  ReplyClass,
} from '@yitang/shared';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { api, field } from '../../lib/http';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import {
  createProposal,
  fetchOptions,
  fetchPeriod,
  fetchProposal,
  fetchProposals,
  fetchStats,
  postFiles,
  postReply,
  savePeriod,
  statsExportUrl,
  takeProposalAction,
} from './api';
import { matchProposalPage, newPath, proposalPath, proposalsPath, statsPath } from './model';
import './proposals.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/** The proposal pages: lists (/proposals?scope=), a new draft, one proposal, statistics. */
export function ProposalsPages({ path, search }: { path: string; search: string }) {
  const page = matchProposalPage(path, search);
  const here = search ? `${path}?${search}` : path;
  return (
    <SignedIn returnTo={here}>
      {() => (
        <div className="page proposals-page">
          {page.page === 'list' && <ListPage key={page.scope} scope={page.scope} />}
          {page.page === 'new' && <NewPage />}
          {page.page === 'item' && <ItemPage key={page.id} id={page.id} />}
          {page.page === 'stats' && <StatsPage />}
          {page.page === 'none' && <BackLink />}
        </div>
      )}
    </SignedIn>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to={proposalsPath}>{t('proposals.back')}</Link>
    </p>
  );
}

/**
 * The lists a person may open, by kind: members, staff, officials (their department's, if they
 * have one, and the key proposals whose supervision they lead, for a leader).
 */
function scopesFor(kind: MemberView['kind'] | undefined, departmentId: string | null | undefined): ProposalListScope[] {
  if (kind === 'staff') return ['review', 'all', 'mine'];
  if (kind === 'official') return departmentId ? ['department', 'supervised'] : ['supervised'];
  return ['mine', 'cosign'];
}

function ListPage({ scope }: { scope: ProposalListScope }) {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const departmentId = useAppStore((s) => s.me?.departmentId);
  const tabs = scopesFor(kind, departmentId);
  const current = tabs.includes(scope) ? scope : (tabs[0] ?? 'mine');
  // The first page of the list; "more" appends the next ones to it.
  const page = useLoad(() => fetchProposals(current), [current]);
  const list = page.data?.proposals ?? null;
  const next = page.data?.next ?? null;
  const [moreError, setMoreError] = useState<ClientErrorCode | null>(null);
  const error = page.error ?? moreError;

  return (
    <>
      <h1>{t('proposals.title')}</h1>
      <p className="proposals-tools">
        {kind === 'member' && (
          <Link to={newPath} className="button" data-testid="proposal-new">
            {t('proposals.newProposal')}
          </Link>
        )}
        {kind === 'staff' && (
          <Link to={statsPath} data-testid="proposal-stats">
            {t('proposals.stats')}
          </Link>
        )}
      </p>
      {kind === 'staff' && <PeriodPanel />}
      <nav aria-label={t('proposals.tabs.label')} className="proposals-tabs">
        {tabs.map((s) => (
          <Link
            key={s}
            to={`${proposalsPath}?scope=${s}`}
            aria-current={s === current ? 'page' : undefined}
            data-testid={`proposals-tab-${s}`}
          >
            {t(`proposals.tabs.${s}`)}
          </Link>
        ))}
      </nav>
      <ErrorBanner error={error} />
      {list === null && !error && (
        <p className="hint" role="status">
          {t('app.loading')}
        </p>
      )}
      {list?.length === 0 && <p className="hint">{t('proposals.empty')}</p>}
      {list && list.length > 0 && (
        <ul className="proposals-list" data-testid="proposals-list">
          {list.map((p) => (
            <li key={p.id}>
              <Link to={proposalPath(p.id)}>{p.title}</Link>
              <span className="proposals-meta">
                {p.number ?? t('proposals.noNumber')} · {t(`proposals.state.${p.state}`)}
                {p.key ? ` · ${t('proposals.detail.key')}` : ''}
                {p.overdue ? ` · ${t('proposals.detail.overdue')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <p>
          <button
            type="button"
            data-testid="proposals-more"
            onClick={() => {
              const cursor = next;
              const setNext = (n: string | null) => page.setData((d) => d && { ...d, next: n });
              setNext(null);
              setMoreError(null);
              fetchProposals(current, { cursor })
                .then((r) => page.setData((d) => d && { proposals: [...d.proposals, ...r.proposals], next: r.next }))
                .catch((err: unknown) => {
                  setNext(cursor);
                  setMoreError(toClientErrorCode(err));
                });
            }}
          >
            {t('proposals.more')}
          </button>
        </p>
      )}
    </>
  );
}

function PeriodPanel() {
  const { t } = useTranslation();
  // Saved only once the stored period is known: a form left blank by a failed or unfinished read
  // would otherwise clear the dates nobody touched.
  const { data, error, reload, setData } = useLoad(() => fetchPeriod(), []);
  // The dates as typed; until then, the period's own.
  const [opensTyped, setOpensOn] = useState<string | null>(null);
  const [closesTyped, setClosesOn] = useState<string | null>(null);
  const opensOn = opensTyped ?? data?.period.opensOn ?? '';
  const closesOn = closesTyped ?? data?.period.closesOn ?? '';
  const action = useAction();
  const id = useId();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await action.run(async () => setData(await savePeriod({ opensOn: opensOn || null, closesOn: closesOn || null })));
  };
  return (
    <form className="proposals-period" onSubmit={save} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('proposals.period.title')}</h2>
      {data && <p role="status">{data.open ? t('proposals.period.open') : t('proposals.period.closed')}</p>}
      {error && !data && <RefreshFailed error={error} kept={false} onRetry={reload} />}
      <Field label={t('proposals.period.opensOn')}>
        <input type="date" value={opensOn} onChange={(e) => setOpensOn(e.target.value)} />
      </Field>
      <Field label={t('proposals.period.closesOn')}>
        <input type="date" value={closesOn} onChange={(e) => setClosesOn(e.target.value)} />
      </Field>
      <button type="submit" disabled={action.busy || !data} data-testid="proposal-period-save">
        {t('proposals.period.save')}
      </button>
      <ErrorBanner error={action.error} />
    </form>
  );
}

function NewPage() {
  const { t } = useTranslation();
  const me = useAppStore((s) => s.me);
  const [title, setTitle] = useState('');
  const [caseText, setCase] = useState('');
  const [suggestions, setSuggestions] = useState('');
  const [kind, setKind] = useState<ProposerKind>('member');
  const [partyGroup, setPartyGroup] = useState('');
  const { data: options } = useLoad(() => fetchOptions(), []);
  const action = useAction();
  const groupId = kind === 'sector' ? me?.sectorId : kind === 'workingGroup' ? me?.workingGroupId : null;
  const groupName =
    kind === 'sector'
      ? options?.sectors.find((s) => s.id === groupId)?.name
      : options?.workingGroups.find((g) => g.id === groupId)?.name;
  const available = ProposerKind.options.filter(
    (k) => k === 'member' || k === 'partyGroup' || (k === 'sector' ? me?.sectorId : me?.workingGroupId),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const proposer =
      kind === 'member' ? { kind } : kind === 'partyGroup' ? { kind, name: partyGroup } : { kind, id: groupId ?? '' };
    await action.run(async () => {
      const res = await createProposal({ title, case: caseText, suggestions, proposer });
      navigate(proposalPath(res.proposal.id));
    });
  };
  return (
    <>
      <BackLink />
      <h1>{t('proposals.form.title')}</h1>
      <p className="hint">{t('proposals.form.hint')}</p>
      <form className="proposals-form" onSubmit={submit} data-testid="proposal-form">
        <Field label={t('proposals.form.proposerKind')}>
          <select value={kind} onChange={(e) => setKind(ProposerKind.parse(e.target.value))}>
            {available.map((k) => (
              <option key={k} value={k}>
                {t(`proposals.proposerKind.${k}`)}
                {k === 'sector' || k === 'workingGroup'
                  ? t('common.aside', { text: k === kind ? (groupName ?? '') : '' })
                  : ''}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'partyGroup' && (
          <Field label={t('proposals.form.partyGroup')}>
            <input
              type="text"
              value={partyGroup}
              onChange={(e) => setPartyGroup(e.target.value)}
              maxLength={proposalLimits.maxPartyGroupLength}
              required
            />
          </Field>
        )}
        <Field label={t('proposals.form.titleField')}>
          <input
            type="text"
            name="title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={proposalLimits.maxTitleLength}
            required
          />
        </Field>
        <Field label={t('proposals.form.case')}>
          <textarea
            name="case"
            rows={5}
            value={caseText}
            onChange={(e) => setCase(e.target.value)}
            maxLength={proposalLimits.maxCaseLength}
            required
          />
        </Field>
        <Field label={t('proposals.form.suggestions')}>
          <textarea
            name="suggestions"
            rows={5}
            value={suggestions}
            onChange={(e) => setSuggestions(e.target.value)}
            maxLength={proposalLimits.maxSuggestionsLength}
            required
          />
        </Field>
        <button type="submit" disabled={action.busy}>
          {action.busy ? t('proposals.form.saving') : t('proposals.form.submit')}
        </button>
        <ErrorBanner error={action.error} />
      </form>
    </>
  );
}

function ItemPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  // After a step the page shows its answer; a refused one asks again, keeping what is shown.
  const { data, error, reload, setData } = useLoad(() => fetchProposal(id), [id], { keep: true });
  if (error && !data) {
    return (
      <>
        <Banner tone="error">{t('proposals.loadFailed', { error: t(`errors.${error}`) })}</Banner>
        <BackLink />
      </>
    );
  }
  if (!data) {
    return (
      <p className="hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const p = data.proposal;
  const date = (iso: string) => formatDateTime(iso, i18n.language, 'date');
  // The reply's class is stored as its key: say it in words.
  const noteText = (action: string, note: string) => {
    const c = ReplyClass.safeParse(note);
    return action === 'reply' && c.success ? t(`proposals.replyClass.${c.data}`) : note;
  };
  return (
    <div data-testid="proposal" data-state={p.state}>
      <BackLink />
      <h1>{p.title}</h1>
      {error && <RefreshFailed error={error} kept onRetry={reload} />}
      <dl className="proposals-facts">
        <Fact label={t('proposals.number')}>{p.number ?? t('proposals.noNumber')}</Fact>
        <Fact label={t('proposals.detail.proposer')}>
          {t('common.withAside', { main: p.proposer.name, aside: t(`proposals.proposerKind.${p.proposer.kind}`) })}
        </Fact>
        <Fact label={t('proposals.detail.author')}>{p.author.name}</Fact>
        <Fact label={t('proposals.title')}>
          <span data-testid="proposal-state">{t(`proposals.state.${p.state}`)}</span>
        </Fact>
        {p.reason && <Fact label={t('proposals.detail.reason')}>{p.reason}</Fact>}
        {p.mergedInto && (
          <Fact label={t('proposals.detail.mergedInto')}>
            <Link to={proposalPath(p.mergedInto)}>{p.mergedInto}</Link>
          </Fact>
        )}
        {p.lead && <Fact label={t('proposals.detail.lead')}>{p.lead.name}</Fact>}
        {p.co.length > 0 && (
          <Fact label={t('proposals.detail.co')}>{p.co.map((d) => d.name).join(t('common.listSeparator'))}</Fact>
        )}
        {p.deadline && (
          <Fact label={t('proposals.detail.deadline')}>
            {date(p.deadline)}
            {p.overdue && <strong> {t('proposals.detail.overdue')}</strong>}
          </Fact>
        )}
        {p.key && (
          <Fact label={t('proposals.detail.key')}>
            {t('common.labelled', { label: t('proposals.detail.leader'), text: p.leader?.name ?? '' })}
            {p.chases > 0 ? ` · ${t('proposals.detail.chases', { count: p.chases })}` : ''}
          </Fact>
        )}
        {p.trackingId && (
          <Fact label={t('tracking.nav')}>
            <Link to={`/tracking/${encodeURIComponent(p.trackingId)}`}>{t('proposals.detail.tracking')}</Link>
          </Fact>
        )}
      </dl>
      <h2>{t('proposals.detail.case')}</h2>
      <p className="proposals-text">{p.case}</p>
      <h2>{t('proposals.detail.suggestions')}</h2>
      <p className="proposals-text">{p.suggestions}</p>
      {p.attachments.length > 0 && (
        <>
          <h2>{t('proposals.detail.attachments')}</h2>
          <Files files={p.attachments} />
        </>
      )}
      <h2>{t('proposals.detail.cosigners')}</h2>
      {p.cosigners.length === 0 ? (
        <p className="hint">{t('proposals.detail.noCosigners')}</p>
      ) : (
        <ul data-testid="proposal-cosigners">
          {p.cosigners.map((c) => (
            <li key={c.memberId}>
              {t('common.labelled', { label: c.name, text: t(`proposals.cosignStatus.${c.status}`) })}
            </li>
          ))}
        </ul>
      )}
      {data.viewer.mayEdit && <AttachForm id={p.id} onDone={setData} />}
      <Actions data={data} onDone={setData} onRefused={reload} />
      {p.replies.length > 0 && (
        <>
          <h2>{t('proposals.detail.replies')}</h2>
          <ol className="proposals-replies" data-testid="proposal-replies">
            {p.replies.map((r) => (
              <li key={r.id}>
                <p className="proposals-meta">
                  {t('proposals.detail.round', { round: r.round })} · {r.department} · {r.byName} ·{' '}
                  {formatDateTime(r.at, i18n.language)} · {t(`proposals.replyClass.${r.replyClass}`)}
                </p>
                <p className="proposals-text">{r.text}</p>
                <Files files={r.attachments} />
              </li>
            ))}
          </ol>
        </>
      )}
      <h2>{t('proposals.detail.trail')}</h2>
      <ol className="proposals-trail" data-testid="proposal-trail">
        {p.trail.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the trail only grows at its end
          <li key={i} data-action={e.action}>
            {t('proposals.trailLine', {
              when: formatDateTime(e.at, i18n.language),
              who: e.byName,
              action: t(`proposals.action.${e.action}`),
            })}
            {e.note ? t('common.afterColon', { text: noteText(e.action, e.note) }) : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Files({ files }: { files: ProposalView['attachments'] }) {
  if (files.length === 0) return null;
  return (
    <ul className="proposals-files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url} download={f.fileName}>
            {f.fileName}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Adds files to a draft (its proposer). */
function AttachForm({ id, onDone }: { id: string; onDone: (r: ProposalResponse) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [files, setFiles] = useState<FileList | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const form = new FormData();
    for (const f of Array.from(files ?? [])) form.append('files', f);
    let result: ProposalResponse | null = null;
    const ok = await action.run(async () => {
      result = await postFiles(id, form);
    });
    if (ok && result) {
      onDone(result);
      setFiles(null);
      setInputKey((k) => k + 1);
    }
  };
  return (
    <form className="proposals-form" onSubmit={submit} data-testid="proposal-attach">
      <Field label={t('proposals.fields.files')}>
        <input key={inputKey} type="file" name="files" multiple onChange={(e) => setFiles(e.target.files)} required />
      </Field>
      <button type="submit" disabled={action.busy}>
        {t('proposals.action.attach')}
      </button>
      <ErrorBanner error={action.error} />
    </form>
  );
}

const MembersResponse = field('members', { parse: (d: unknown) => d as MemberView[] });

/** The steps the viewer may take now, each with the fields it asks for. */
function Actions({
  data,
  onDone,
  onRefused,
}: {
  data: ProposalResponse;
  onDone: (r: ProposalResponse) => void;
  onRefused: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ProposalActionType | null>(null);
  const [done, setDone] = useState<ProposalActionType | null>(null);
  const [doneCount, setDoneCount] = useState(0);
  const { actions } = data.viewer;
  const status = done && (
    <DoneStatus key={doneCount} text={t('proposals.done', { action: t(`proposals.action.${done}`) })} />
  );
  if (actions.length === 0) return status || null;
  return (
    <section className="proposals-actions" aria-label={t('proposals.detail.actions')}>
      <div className="proposals-buttons">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            aria-expanded={open === a}
            onClick={() => setOpen(open === a ? null : a)}
            data-testid={`proposal-action-${a}`}
          >
            {t(`proposals.action.${a}`)}
          </button>
        ))}
      </div>
      {status}
      {open && (
        <ActionForm
          key={open}
          type={open}
          proposal={data.proposal}
          onDone={(r) => {
            setDone(open);
            setDoneCount((n) => n + 1);
            setOpen(null);
            onDone(r);
          }}
          onRefused={onRefused}
        />
      )}
    </section>
  );
}

/**
 * What a step did, said once it landed: its form is gone, so focus moves here (not to the page's
 * body) and a screen reader reads it; a new step remounts it (its key).
 */
function DoneStatus({ text }: { text: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <p role="status" tabIndex={-1} ref={ref} data-testid="proposal-done">
      {text}
    </p>
  );
}

/** Members to invite as co-signers: a search by name over a list of checkboxes (phones, screen readers). */
function MemberPicker({
  members,
  chosen,
  onChange,
}: {
  members: MemberView[];
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const hintId = useId();
  const [query, setQuery] = useState('');
  const q = query.trim();
  const shown = members.filter((m) => chosen.includes(m.id) || (q !== '' && m.name.includes(q))).slice(0, 30);
  return (
    <fieldset className="proposals-picker" aria-describedby={hintId}>
      <legend>{t('proposals.fields.members')}</legend>
      <Field label={t('proposals.fields.searchMember')}>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="proposal-member-search"
        />
      </Field>
      <p id={hintId} className="hint">
        {t('proposals.fields.membersHint', { count: chosen.length })}
      </p>
      <ul>
        {shown.map((m) => (
          <li key={m.id}>
            <Field check label={m.name}>
              <input
                type="checkbox"
                name="members"
                value={m.id}
                checked={chosen.includes(m.id)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, m.id] : chosen.filter((id) => id !== m.id))}
              />
            </Field>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function ActionForm({
  type,
  proposal,
  onDone,
  onRefused,
}: {
  type: ProposalActionType;
  proposal: ProposalView;
  onDone: (r: ProposalResponse) => void;
  onRefused: () => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [text, setText] = useState('');
  const [choice, setChoice] = useState('');
  const [many, setMany] = useState<string[]>([]);
  const [deadline, setDeadline] = useState('');
  const [files, setFiles] = useState<FileList | null>(null);
  const [search, setSearch] = useState('');
  const me = useAppStore((s) => s.me?.id);
  const picks = useLoad(() => fetchOptions(), [type], { when: type === 'assign' || type === 'markKey' });
  const options = picks.data;
  const people = useLoad(() => api('/api/members', MembersResponse), [type], { when: type === 'invite' });
  const members = people.data ?? [];
  // A proposal is merged into one of its own year: the picker searches that year's list (a page
  // of it, newest first), asking again as the search changes; only the latest answer shows.
  const q = search.trim();
  const found = useLoad(() => fetchProposals('all', { year: proposal.year, ...(q ? { q } : {}) }), [q, proposal.year], {
    when: type === 'merge',
    keep: true,
  });
  const others = found.data?.proposals ?? [];
  const loadError = picks.error ?? people.error ?? found.error;

  const build = (): ProposalActionBody['action'] | null => {
    switch (type) {
      case 'invite':
        return { type, memberIds: many };
      case 'acceptCosign':
      case 'submit':
        return { type };
      case 'declineCosign':
        return text ? { type, reason: text } : { type };
      case 'accept':
      case 'grantReassign':
      case 'chase':
        return text ? { type, note: text } : { type };
      case 'reject':
      case 'toLetter':
      case 'requestReassign':
      case 'refuseReassign':
        return { type, reason: text };
      case 'merge':
        return { type, into: choice };
      case 'assign':
        return { type, lead: choice, co: many, ...(deadline ? { deadline } : {}) };
      case 'feedback':
        return { type, value: ProposalFeedback.parse(choice || 'satisfied'), ...(text ? { comment: text } : {}) };
      case 'markKey':
        return { type, leaderId: choice };
      case 'reply':
        return null;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let result: ProposalResponse | null = null;
    const ok = await action.run(async () => {
      if (type === 'reply') {
        const form = new FormData();
        form.append('text', text);
        form.append('replyClass', choice || 'solved');
        for (const f of Array.from(files ?? [])) form.append('files', f);
        result = await postReply(proposal.id, form);
      } else {
        const a = build();
        if (a) result = await takeProposalAction(proposal.id, a);
      }
    });
    if (ok && result) onDone(result);
    else if (!ok) onRefused();
  };

  const needsReason = ['reject', 'toLetter', 'requestReassign', 'refuseReassign'].includes(type);
  const takesNote = ['accept', 'grantReassign', 'chase', 'declineCosign'].includes(type);
  return (
    <form className="proposals-form" onSubmit={submit} data-testid={`proposal-form-${type}`}>
      <ErrorBanner error={loadError} />
      {type === 'invite' && (
        <MemberPicker
          members={members.filter((m) => m.kind === 'member' && m.id !== me)}
          chosen={many}
          onChange={setMany}
        />
      )}
      {type === 'merge' && (
        <>
          <Field label={t('proposals.fields.searchProposal')}>
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </Field>
          <Field label={t('proposals.fields.into')}>
            <select name="into" value={choice} onChange={(e) => setChoice(e.target.value)} required>
              <option value="">{t('proposals.fields.choose')}</option>
              {others
                .filter(
                  (o) =>
                    o.id !== proposal.id && !['draft', 'notAccepted', 'letter', 'merged', 'closed'].includes(o.state),
                )
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.number ?? ''} {o.title}
                  </option>
                ))}
            </select>
          </Field>
        </>
      )}
      {type === 'assign' && (
        <>
          <Field label={t('proposals.fields.lead')}>
            <select name="lead" value={choice} onChange={(e) => setChoice(e.target.value)} required>
              <option value="">{t('proposals.fields.choose')}</option>
              {options?.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('proposals.fields.co')}>
            <select
              multiple
              name="co"
              value={many}
              onChange={(e) => setMany(Array.from(e.target.selectedOptions, (o) => o.value))}
            >
              {options?.departments
                .filter((d) => d.id !== choice)
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
            </select>
          </Field>
          <Field label={t('proposals.fields.deadline')}>
            <input type="date" name="deadline" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          </Field>
        </>
      )}
      {type === 'markKey' && (
        <Field label={t('proposals.fields.leader')}>
          <select name="leader" value={choice} onChange={(e) => setChoice(e.target.value)} required>
            <option value="">{t('proposals.fields.choose')}</option>
            {options?.leaders.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} {l.post}
              </option>
            ))}
          </select>
        </Field>
      )}
      {type === 'reply' && (
        <>
          <Field label={t('proposals.fields.replyClass')}>
            <select name="replyClass" value={choice || 'solved'} onChange={(e) => setChoice(e.target.value)}>
              {ReplyClass.options.map((c) => (
                <option key={c} value={c}>
                  {t(`proposals.replyClass.${c}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('proposals.fields.text')}>
            <textarea
              name="text"
              rows={5}
              value={text}
              onChange={(e) => setText(e.target.value)}
              maxLength={proposalLimits.maxReplyLength}
              required
            />
          </Field>
          <Field label={t('proposals.fields.files')}>
            <input type="file" name="files" multiple onChange={(e) => setFiles(e.target.files)} />
          </Field>
        </>
      )}
      {type === 'feedback' && (
        <>
          <fieldset>
            <legend>{t('proposals.fields.value')}</legend>
            {ProposalFeedback.options.map((v) => (
              <Field key={v} check className="proposals-radio" label={t(`proposals.feedback.${v}`)}>
                <input
                  type="radio"
                  name="value"
                  value={v}
                  checked={(choice || 'satisfied') === v}
                  onChange={() => setChoice(v)}
                />
              </Field>
            ))}
          </fieldset>
          <Field label={t('proposals.fields.comment')}>
            <input type="text" name="comment" value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
        </>
      )}
      {(needsReason || takesNote) && (
        <Field label={needsReason ? t('proposals.fields.reason') : t('proposals.fields.note')}>
          <input
            type="text"
            name="reason"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={proposalLimits.maxReasonLength}
            required={needsReason}
          />
        </Field>
      )}
      <button type="submit" disabled={action.busy} data-testid="proposal-confirm">
        {action.busy
          ? t('proposals.sending')
          : t('common.labelled', { label: t('proposals.send'), text: t(`proposals.action.${type}`) })}
      </button>
      <ErrorBanner error={action.error} />
    </form>
  );
}

function StatsPage() {
  const { t } = useTranslation();
  // The committee's year (China time), as the server counts it.
  const [yearText, setYearText] = useState(() =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4),
  );
  const [year, setYear] = useState(Number(yearText));
  // Only the answer for the year asked last is shown; an earlier error goes with the new question.
  const { data: stats, error } = useLoad(() => fetchStats(year), [year]);
  const changeYear = (text: string) => {
    setYearText(text);
    // A year being typed (empty, or not yet four digits) asks nothing.
    if (/^\d{4}$/.test(text) && Number(text) >= 2000 && Number(text) <= 2100) setYear(Number(text));
  };
  return (
    <>
      <BackLink />
      <h1>{t('proposals.statsPage.title')}</h1>
      <Field label={t('proposals.statsPage.year')}>
        <input type="number" min={2000} max={2100} value={yearText} onChange={(e) => changeYear(e.target.value)} />
      </Field>
      <p className="proposals-tools">
        <a href={statsExportUrl(year, 'csv')} download>
          {t('proposals.statsPage.exportCsv')}
        </a>
        <a href={statsExportUrl(year, 'xlsx')} download>
          {t('proposals.statsPage.exportXlsx')}
        </a>
      </p>
      <ErrorBanner error={error} />
      {stats && (
        <>
          <StatsTable title={t('proposals.statsPage.total')} rows={[stats.total]} />
          <StatsTable title={t('proposals.statsPage.byState')} rows={stats.byState} state />
          <StatsTable title={t('proposals.statsPage.byDepartment')} rows={stats.byDepartment} />
          <StatsTable title={t('proposals.statsPage.bySector')} rows={stats.bySector} />
        </>
      )}
    </>
  );
}

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

function StatsTable({ title, rows, state }: { title: string; rows: ProposalStatsRow[]; state?: boolean }) {
  const { t } = useTranslation();
  return (
    <table className="proposals-stats">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t('proposals.statsPage.group')}</th>
          <th scope="col">{t('proposals.statsPage.count')}</th>
          <th scope="col">{t('proposals.statsPage.onTime')}</th>
          <th scope="col">{t('proposals.statsPage.satisfaction')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">
              {state ? t(`proposals.state.${r.key as ProposalState}`) : r.key === 'total' ? title : r.label}
            </th>
            <td>{r.total}</td>
            <td>{percent(r.onTimeRate)}</td>
            <td>{percent(r.satisfactionRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
