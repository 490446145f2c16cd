import {
  AdoptionLevel,
  adoptionRank,
  type SocialReportAction,
  type SocialReportActionType,
  type SocialReportResponse,
  type SocialReportView,
  socialReportLimits,
} from '@yitang/shared';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import {
  fetchSocialReport,
  fetchSocialReports,
  type SocialReportScope,
  submitSocialReport,
  takeSocialReportAction,
} from './api';
import './social-reports.css';
import { ErrorBanner } from '../../components/ErrorBanner';

export const socialReportsPath = '/social-reports';
const newPath = '/social-reports/new';
export const socialReportPath = (id: string) => `/social-reports/${encodeURIComponent(id)}`;

type Page =
  | { page: 'list'; scope: SocialReportScope }
  | { page: 'new' }
  | { page: 'item'; id: string }
  | { page: 'none' };

const scopes: SocialReportScope[] = ['mine', 'queue', 'all'];

export function matchSocialReportPage(path: string, search: string): Page {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === socialReportsPath) {
    const scope = new URLSearchParams(search).get('scope');
    return { page: 'list', scope: scopes.find((s) => s === scope) ?? 'mine' };
  }
  if (clean === newPath) return { page: 'new' };
  const m = /^\/social-reports\/([^/]+)$/.exec(clean);
  if (m?.[1]) {
    try {
      return { page: 'item', id: decodeURIComponent(m[1]) };
    } catch {
      return { page: 'none' };
    }
  }
  return { page: 'none' };
}

/** 社情民意 pages: lists (/social-reports?scope=), a new report, one report with its trail. */
export function SocialReportsPages({ path, search }: { path: string; search: string }) {
  const page = matchSocialReportPage(path, search);
  const here = search ? `${path}?${search}` : path;
  return (
    <SignedIn returnTo={here}>
      {() => (
        <div className="page social-reports-page">
          {page.page === 'list' && <ListPage key={page.scope} scope={page.scope} />}
          {page.page === 'new' && <NewPage />}
          {page.page === 'item' && <ItemPage key={page.id} id={page.id} />}
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
      <Link to={socialReportsPath}>{t('socialReports.back')}</Link>
    </p>
  );
}

/** The state, with the level once adopted. */
function StateText({ report }: { report: Pick<SocialReportView, 'state' | 'level'> }) {
  const { t } = useTranslation();
  return (
    <span data-testid="social-report-state" data-state={report.state}>
      {t(`socialReports.state.${report.state}`)}
      {report.level
        ? t('common.aside', { text: t('socialReports.adoptedAt', { level: t(`socialReports.level.${report.level}`) }) })
        : ''}
    </span>
  );
}

function ListPage({ scope }: { scope: SocialReportScope }) {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const tabs: SocialReportScope[] = kind === 'staff' ? ['queue', 'all'] : ['mine'];
  const current = tabs.includes(scope) ? scope : (tabs[0] ?? 'mine');
  // The first page of the list; "more" appends the next ones to it.
  const page = useLoad(() => fetchSocialReports(current), [current]);
  const list = page.data?.reports ?? null;
  const next = page.data?.next ?? null;
  const [moreError, setMoreError] = useState<ClientErrorCode | null>(null);
  const error = page.error ?? moreError;

  return (
    <>
      <h1>{t('socialReports.title')}</h1>
      {kind === 'member' && (
        <p>
          <Link to={newPath} className="button" data-testid="social-report-new">
            {t('socialReports.newReport')}
          </Link>
        </p>
      )}
      {tabs.length > 1 && (
        <nav aria-label={t('socialReports.tabs.label')} className="social-reports-tabs">
          {tabs.map((s) => (
            <Link
              key={s}
              to={`${socialReportsPath}?scope=${s}`}
              aria-current={s === current ? 'page' : undefined}
              data-testid={`social-reports-tab-${s}`}
            >
              {t(`socialReports.tabs.${s}`)}
            </Link>
          ))}
        </nav>
      )}
      <ErrorBanner error={error} />
      {list === null && !error && (
        <p className="hint" role="status">
          {t('app.loading')}
        </p>
      )}
      {list?.length === 0 && <p className="hint">{t('socialReports.empty')}</p>}
      {list && list.length > 0 && (
        <ul className="social-reports-list" data-testid="social-reports-list">
          {list.map((r) => (
            <li key={r.id}>
              <Link to={socialReportPath(r.id)}>{r.title}</Link>
              <span className="social-reports-meta">
                {kind === 'staff' ? `${r.authorName} · ` : ''}
                <StateText report={r} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <p>
          <button
            type="button"
            data-testid="social-reports-more"
            onClick={() => {
              const cursor = next;
              const setNext = (n: string | null) => page.setData((d) => d && { ...d, next: n });
              setNext(null);
              setMoreError(null);
              fetchSocialReports(current, cursor)
                .then((r) => page.setData((d) => d && { reports: [...d.reports, ...r.reports], next: r.next }))
                .catch((err: unknown) => {
                  setNext(cursor);
                  setMoreError(toClientErrorCode(err));
                });
            }}
          >
            {t('socialReports.more')}
          </button>
        </p>
      )}
    </>
  );
}

function NewPage() {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // One key per report being written: a retry after a lost answer finds the stored report.
  const [submitKey] = useState(() => crypto.randomUUID());
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await action.run(async () => {
      const form = new FormData();
      form.append('title', title);
      form.append('content', content);
      form.append('submitKey', submitKey);
      for (const f of files) form.append('files', f, f.name);
      const res = await submitSocialReport(form);
      navigate(socialReportPath(res.report.id));
    });
  };
  return (
    <>
      <BackLink />
      <h1>{t('socialReports.form.title')}</h1>
      <p className="hint">{t('socialReports.form.hint')}</p>
      <form className="social-reports-form" onSubmit={submit} data-testid="social-report-form">
        <Field label={t('socialReports.form.titleField')}>
          <input
            type="text"
            name="title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={socialReportLimits.maxTitleLength}
            required
          />
        </Field>
        <Field label={t('socialReports.form.content')}>
          <textarea
            name="content"
            rows={8}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            maxLength={socialReportLimits.maxContentLength}
            required
          />
        </Field>
        <Field label={t('socialReports.form.files')}>
          <input
            type="file"
            multiple
            onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, socialReportLimits.maxAttachments))}
          />
        </Field>
        <button type="submit" disabled={action.busy}>
          {action.busy ? t('socialReports.form.saving') : t('socialReports.form.submit')}
        </button>
        <ErrorBanner error={action.error} />
      </form>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ItemPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  // After a step the page shows its answer in place.
  const { data, error, setData } = useLoad(() => fetchSocialReport(id), [id], { keep: true });
  if (error && !data) {
    return (
      <>
        <Banner tone="error">{t('socialReports.loadFailed', { error: t(`errors.${error}`) })}</Banner>
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
  const r = data.report;
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <div data-testid="social-report" data-state={r.state}>
      <BackLink />
      <h1>{r.edited?.title ?? r.original.title}</h1>
      <dl className="social-reports-facts">
        <Fact label={t('socialReports.detail.author')}>{r.authorName}</Fact>
        <Fact label={t('socialReports.detail.submittedAt')}>{when(r.submittedAt)}</Fact>
        <Fact label={t('socialReports.detail.state')}>
          <StateText report={r} />
        </Fact>
        {r.declineReason && <Fact label={t('socialReports.detail.reason')}>{r.declineReason}</Fact>}
      </dl>
      {r.instructions.length > 0 && (
        <section aria-labelledby={`${r.id}-instructions`}>
          <h2 id={`${r.id}-instructions`}>{t('socialReports.detail.instructions')}</h2>
          <ul data-testid="social-report-instructions">
            {r.instructions.map((x) => (
              <li key={`${x.date}-${x.leader}-${x.text}`}>
                {t('socialReports.detail.instruction', { ...x, level: t(`socialReports.level.${x.level}`) })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.result && (
        <section aria-labelledby={`${r.id}-result`}>
          <h2 id={`${r.id}-result`}>{t('socialReports.detail.result')}</h2>
          <p className="social-reports-text" data-testid="social-report-result">
            {r.result}
          </p>
        </section>
      )}
      {r.edited && (
        <section aria-labelledby={`${r.id}-edited`}>
          <h2 id={`${r.id}-edited`}>{t('socialReports.detail.edited', { name: r.edited.byName })}</h2>
          <p className="social-reports-text">{r.edited.content}</p>
        </section>
      )}
      <section aria-labelledby={`${r.id}-original`}>
        <h2 id={`${r.id}-original`}>{t('socialReports.detail.original')}</h2>
        {r.edited && <h3>{r.original.title}</h3>}
        <p className="social-reports-text">{r.original.content}</p>
      </section>
      {r.attachments.length > 0 && (
        <section aria-labelledby={`${r.id}-files`}>
          <h2 id={`${r.id}-files`}>{t('socialReports.detail.attachments')}</h2>
          <ul>
            {r.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.url} download={f.fileName}>
                  {f.fileName}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.viewer.actions.length > 0 && <Actions report={r} actions={data.viewer.actions} onDone={setData} />}
      <section aria-labelledby={`${r.id}-trail`}>
        <h2 id={`${r.id}-trail`}>{t('socialReports.detail.trail')}</h2>
        <ol className="social-reports-trail" data-testid="social-report-trail">
          {r.trail.map((e) => (
            <li key={`${e.at}:${e.action}`} data-action={e.action}>
              <time dateTime={e.at}>{when(e.at)}</time> {e.byName} · {t(`socialReports.event.${e.action}`)}
              {e.level && (e.action === 'adopt' || e.action === 'raise')
                ? t('common.aside', { text: t(`socialReports.level.${e.level}`) })
                : ''}
              {e.note ? t('common.afterColon', { text: e.note }) : ''}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The steps the viewer may take now, each with the fields it asks for. */
function Actions({
  report,
  actions,
  onDone,
}: {
  report: SocialReportView;
  actions: SocialReportActionType[];
  onDone: (res: SocialReportResponse) => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const action = useAction();
  const higher = AdoptionLevel.options.filter((l) => !report.level || adoptionRank[l] > adoptionRank[report.level]);
  const [title, setTitle] = useState(report.edited?.title ?? report.original.title);
  const [content, setContent] = useState(report.edited?.content ?? report.original.content);
  const [level, setLevel] = useState<AdoptionLevel>('city');
  const [raiseTo, setRaiseTo] = useState<AdoptionLevel>(higher[0] ?? 'national');
  const [reason, setReason] = useState('');
  const [leader, setLeader] = useState('');
  const [leaderLevel, setLeaderLevel] = useState<AdoptionLevel>('city');
  const [text, setText] = useState('');
  const [date, setDate] = useState(today());
  const [resultText, setResultText] = useState('');

  const run = (e: FormEvent, step: SocialReportAction) => {
    e.preventDefault();
    void action.run(async () => onDone(await takeSocialReportAction(report.id, step)));
  };
  const levelSelect = (
    id: string,
    value: AdoptionLevel,
    set: (l: AdoptionLevel) => void,
    options: AdoptionLevel[],
    testId: string,
  ) => (
    <select id={id} value={value} onChange={(e) => set(AdoptionLevel.parse(e.target.value))} data-testid={testId}>
      {options.map((l) => (
        <option key={l} value={l}>
          {t(`socialReports.level.${l}`)}
        </option>
      ))}
    </select>
  );
  const has = (a: SocialReportActionType) => actions.includes(a);
  return (
    <section className="social-reports-actions" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('socialReports.actions.title')}</h2>
      <ErrorBanner error={action.error} />
      {has('withdraw') && (
        <form onSubmit={(e) => run(e, { type: 'withdraw' })}>
          <button type="submit" disabled={action.busy} data-testid="social-report-withdraw">
            {t('socialReports.actions.withdraw')}
          </button>
        </form>
      )}
      {has('adopt') && (
        <form onSubmit={(e) => run(e, { type: 'adopt', level })}>
          <Field label={t('socialReports.actions.level')}>
            {levelSelect(`${ids}-adopt`, level, setLevel, AdoptionLevel.options, 'social-report-adopt-level')}
          </Field>
          <button type="submit" disabled={action.busy} data-testid="social-report-adopt">
            {t('socialReports.actions.adopt')}
          </button>
        </form>
      )}
      {has('decline') && (
        <form onSubmit={(e) => run(e, { type: 'decline', reason })}>
          <Field label={t('socialReports.actions.reason')}>
            <input
              type="text"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={socialReportLimits.maxReasonLength}
            />
          </Field>
          <button type="submit" disabled={action.busy}>
            {t('socialReports.actions.decline')}
          </button>
        </form>
      )}
      {has('raise') && higher.length > 0 && (
        <form onSubmit={(e) => run(e, { type: 'raise', level: raiseTo })}>
          <Field label={t('socialReports.actions.level')}>
            {levelSelect(`${ids}-raise`, raiseTo, setRaiseTo, higher, 'social-report-raise-level')}
          </Field>
          <button type="submit" disabled={action.busy}>
            {t('socialReports.actions.raise')}
          </button>
        </form>
      )}
      {has('instruct') && (
        <form onSubmit={(e) => run(e, { type: 'instruct', instruction: { leader, level: leaderLevel, text, date } })}>
          <Field label={t('socialReports.actions.leader')}>
            <input
              type="text"
              value={leader}
              onChange={(e) => setLeader(e.target.value)}
              required
              maxLength={socialReportLimits.maxLeaderLength}
              data-testid="social-report-leader"
            />
          </Field>
          <Field label={t('socialReports.actions.leaderLevel')}>
            {levelSelect(
              `${ids}-leader`,
              leaderLevel,
              setLeaderLevel,
              AdoptionLevel.options,
              'social-report-leader-level',
            )}
          </Field>
          <Field label={t('socialReports.actions.text')}>
            <textarea
              value={text}
              onChange={(e) => setText(e.target.value)}
              required
              rows={3}
              maxLength={socialReportLimits.maxInstructionLength}
              data-testid="social-report-instruction"
            />
          </Field>
          <Field label={t('socialReports.actions.date')}>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
          </Field>
          <button type="submit" disabled={action.busy} data-testid="social-report-instruct">
            {t('socialReports.actions.instruct')}
          </button>
        </form>
      )}
      {has('result') && (
        <form onSubmit={(e) => run(e, { type: 'result', text: resultText })}>
          <Field label={t('socialReports.actions.resultText')}>
            <textarea
              value={resultText}
              onChange={(e) => setResultText(e.target.value)}
              required
              rows={3}
              maxLength={socialReportLimits.maxResultLength}
              data-testid="social-report-result-text"
            />
          </Field>
          <button type="submit" disabled={action.busy} data-testid="social-report-result-submit">
            {t('socialReports.actions.result')}
          </button>
        </form>
      )}
      {has('edit') && (
        <form onSubmit={(e) => run(e, { type: 'edit', title, content })}>
          <Field label={t('socialReports.form.titleField')}>
            <input
              type="text"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              maxLength={socialReportLimits.maxTitleLength}
            />
          </Field>
          <Field label={t('socialReports.form.content')}>
            <textarea
              value={content}
              onChange={(e) => setContent(e.target.value)}
              required
              rows={8}
              maxLength={socialReportLimits.maxContentLength}
            />
          </Field>
          <button type="submit" disabled={action.busy}>
            {t('socialReports.actions.edit')}
          </button>
        </form>
      )}
    </section>
  );
}
