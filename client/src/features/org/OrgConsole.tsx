import type { OrgMemberView, OrgOverview, WorkingGroupKind } from '@yitang/shared';
import type { TFunction } from 'i18next';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { SignedIn } from '../../components/SignedIn';
import { Link, orgImportPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { createMember, fetchMembers, fetchOverview, OrgError, orgCall, setRights, updateMember } from './api';
import { orgPath } from './orgPath';
import {
  buildRoomTree,
  filterMembers,
  flattenTree,
  type MemberFilter,
  noFilter,
  parseTags,
  type RoomNode,
} from './roomTree';
import './OrgConsole.css';

type Section = 'members' | 'sectors' | 'workingGroups' | 'districts' | 'departments' | 'leaders' | 'rooms';

const sectionPaths: Record<Section, string> = {
  members: orgPath,
  sectors: `${orgPath}/sectors`,
  workingGroups: `${orgPath}/working-groups`,
  districts: `${orgPath}/districts`,
  departments: `${orgPath}/departments`,
  leaders: `${orgPath}/leaders`,
  rooms: `${orgPath}/rooms`,
};

/** The section a path under /org names (members when none). */
export function sectionOf(path: string): Section {
  const clean = path.replace(/\/+$/, '');
  const found = (Object.entries(sectionPaths) as Array<[Section, string]>).find(([, p]) => p === clean);
  return found ? found[0] : 'members';
}

/** What every section needs: the records, a way to run a change and report it, and a reload. */
interface Ctx {
  org: OrgOverview;
  run: (action: () => Promise<unknown>, done: 'saved' | 'deleted' | 'created') => Promise<boolean>;
}

/**
 * The reason of a refusal in the page's language: the usual ones (in use, name taken) in words of
 * their own, others by their code, with the server's words (which name the field) after them.
 */
function reasonOf(err: OrgError, done: 'saved' | 'deleted' | 'created', t: TFunction): string {
  if (err.status === 409 && done === 'deleted') return t('org.inUse');
  if (err.status === 409 && /named/.test(err.detail)) return t('org.nameTaken');
  if (err.status === 409 && /heads the department/.test(err.detail)) return t('org.headLeaving');
  return `${t(`errors.${err.code}`)}${err.detail ? t('common.aside', { text: err.detail }) : ''}`;
}

/** Staff's console for the organisation records (组织管理). */
export function OrgConsole({ path }: { path: string }) {
  return <SignedIn returnTo={path}>{() => <Console section={sectionOf(path)} />}</SignedIn>;
}

function Console({ section }: { section: Section }) {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const overview = useLoad(fetchOverview, [], { when: staff, keep: true });
  const org = overview.data;
  const [said, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const message = said ?? (overview.error ? { text: t('errors.NETWORK'), error: true } : null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  // After a change the records are read again before the page says it went through.
  const { setData } = overview;
  const reload = useCallback(async () => setData(await fetchOverview()), [setData]);

  const run = useCallback<Ctx['run']>(
    async (action, done) => {
      try {
        await action();
        await reload();
        setMessage({ text: t(`org.${done}`), error: false });
        return true;
      } catch (err) {
        const reason = err instanceof OrgError ? reasonOf(err, done, t) : String(err);
        setMessage({ text: t('org.failed', { reason }), error: true });
        return false;
      } finally {
        // Focus moves to the result, so a screen reader and a keyboard user land on what happened.
        requestAnimationFrame(() => statusRef.current?.focus());
      }
    },
    [reload, t],
  );

  if (!staff) {
    return (
      <p className="page field-error" role="alert">
        {t('errors.FORBIDDEN')}
      </p>
    );
  }
  return (
    <div className="page org-console" data-testid="org-console">
      <h1>{t('org.title')}</h1>
      <nav aria-label={t('org.sections')} className="org-console__nav">
        <ul>
          {(Object.keys(sectionPaths) as Section[]).map((s) => (
            <li key={s}>
              <Link to={sectionPaths[s]} aria-current={s === section ? 'page' : undefined}>
                {t(`org.tabs.${s}`)}
              </Link>
            </li>
          ))}
          <li>
            <Link to={orgImportPath}>{t('org.tabs.import')}</Link>
          </li>
        </ul>
      </nav>
      <p
        ref={statusRef}
        tabIndex={-1}
        role="status"
        aria-live="polite"
        className={message?.error ? 'field-error' : 'hint'}
        data-testid="org-status"
      >
        {message?.text ?? ''}
      </p>
      {org && (
        <>
          <CommitteeForm ctx={{ org, run }} />
          {section === 'members' && <Members ctx={{ org, run }} />}
          {section === 'sectors' && <OrderedRecords ctx={{ org, run }} kind="sectors" />}
          {section === 'workingGroups' && <OrderedRecords ctx={{ org, run }} kind="workingGroups" />}
          {section === 'districts' && <OrderedRecords ctx={{ org, run }} kind="districts" />}
          {section === 'departments' && <Departments ctx={{ org, run }} />}
          {section === 'leaders' && <Leaders ctx={{ org, run }} />}
          {section === 'rooms' && <Rooms ctx={{ org, run }} />}
        </>
      )}
    </div>
  );
}

function CommitteeForm({ ctx }: { ctx: Ctx }) {
  const { t } = useTranslation();
  const c = ctx.org.committee;
  const [name, setName] = useState(c.name);
  const [term, setTerm] = useState(String(c.term));
  const [year, setYear] = useState(String(c.year));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ctx.run(() => orgCall('/committee', 'PATCH', { name, term: Number(term), year: Number(year) }), 'saved');
  };
  return (
    <details className="org-committee">
      <summary>{t('org.committee.summary', { name: c.name, term: c.term, year: c.year })}</summary>
      <form onSubmit={submit} className="org-form">
        <Field className="org-field" label={t('org.committee.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field className="org-field" label={t('org.committee.term')}>
          {/* Required, as is the year: an empty box would go out as 0. */}
          <input type="number" required min={1} max={99} value={term} onChange={(e) => setTerm(e.target.value)} />
        </Field>
        <Field className="org-field" label={t('org.committee.year')}>
          <input type="number" required min={1949} max={2100} value={year} onChange={(e) => setYear(e.target.value)} />
        </Field>
        <button type="submit">{t('org.committee.save')}</button>
      </form>
    </details>
  );
}

const listPaths = { sectors: '/sectors', workingGroups: '/working-groups', districts: '/districts' } as const;

/** Asks before a record goes, then deletes it at `path`. */
function useRemove(ctx: Ctx) {
  const { t } = useTranslation();
  return (path: string, name: string) => {
    if (window.confirm(t('org.confirmRemove', { name }))) void ctx.run(() => orgCall(path, 'DELETE'), 'deleted');
  };
}

/** The form a row's rename button opens in place of the row: the name, save and cancel. */
function RenameForm({
  name,
  onSave,
  onCancel,
}: {
  name: string;
  onSave: (name: string) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSave(value);
  };
  return (
    <form onSubmit={submit} className="org-inline">
      <Field className="org-field" label={t('org.rename')}>
        <input
          value={value}
          // biome-ignore lint/a11y/noAutofocus: the field the rename button opened
          autoFocus
          onChange={(e) => setValue(e.target.value)}
          required
        />
      </Field>
      <button type="submit">{t('org.save')}</button>
      <button type="button" onClick={onCancel}>
        {t('org.cancel')}
      </button>
    </form>
  );
}

/**
 * An ordered list of records (sectors, working groups, district committees): each row renames,
 * moves up or down and deletes its record, and a form under the list adds one.
 */
function OrderedRecords({ ctx, kind }: { ctx: Ctx; kind: keyof typeof listPaths }) {
  const { t } = useTranslation();
  const items = ctx.org[kind] as Array<{ id: string; name: string; order: number; kind?: WorkingGroupKind }>;
  const base = listPaths[kind];
  const remove = useRemove(ctx);
  const [name, setName] = useState('');
  const [groupKind, setGroupKind] = useState<WorkingGroupKind>('workingGroup');
  const [renaming, setRenaming] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = kind === 'workingGroups' ? { name, kind: groupKind } : { name };
    if (await ctx.run(() => orgCall(base, 'POST', body), 'created')) setName('');
  };
  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((i) => i.id);
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + by, 0, moved);
    void ctx.run(() => orgCall(`${base}/order`, 'PUT', { ids }), 'saved');
  };
  const rename = async (id: string, next: string) => {
    if (await ctx.run(() => orgCall(`${base}/${id}`, 'PATCH', { name: next }), 'saved')) setRenaming(null);
  };

  return (
    <section aria-labelledby={`org-${kind}`}>
      <h2 id={`org-${kind}`}>{t(`org.tabs.${kind}`)}</h2>
      {items.length === 0 && <p className="hint">{t('org.empty')}</p>}
      <ol className="org-list">
        {items.map((item, i) => (
          <li key={item.id} className="org-row">
            {renaming === item.id ? (
              <RenameForm
                name={item.name}
                onSave={(next) => rename(item.id, next)}
                onCancel={() => setRenaming(null)}
              />
            ) : (
              <>
                <span className="org-row__name">
                  {item.name}
                  {item.kind && <span className="hint"> · {t(`org.kind.${item.kind}`)}</span>}
                </span>
                <span className="org-row__actions">
                  <button
                    type="button"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={t('org.moveUp', { name: item.name })}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    disabled={i === items.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={t('org.moveDown', { name: item.name })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    onClick={() => setRenaming(item.id)}
                    aria-label={t('org.renameOf', { name: item.name })}
                  >
                    {t('org.rename')}
                  </button>
                  <button
                    type="button"
                    onClick={() => remove(`${base}/${item.id}`, item.name)}
                    aria-label={t('org.removeOf', { name: item.name })}
                  >
                    {t('org.remove')}
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={add} className="org-form">
        <Field className="org-field" label={t('org.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        {kind === 'workingGroups' && (
          <Field className="org-field" label={t('org.kind.label')}>
            <select value={groupKind} onChange={(e) => setGroupKind(e.target.value as WorkingGroupKind)}>
              <option value="workingGroup">{t('org.kind.workingGroup')}</option>
              <option value="specialCommittee">{t('org.kind.specialCommittee')}</option>
            </select>
          </Field>
        )}
        <button type="submit">{t('org.add')}</button>
      </form>
    </section>
  );
}

function Departments({ ctx }: { ctx: Ctx }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const remove = useRemove(ctx);
  const [renaming, setRenaming] = useState<string | null>(null);
  const rename = async (id: string, next: string) => {
    if (await ctx.run(() => orgCall(`/departments/${id}`, 'PATCH', { name: next }), 'saved')) setRenaming(null);
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await ctx.run(() => orgCall('/departments', 'POST', { name, headId: null }), 'created')) setName('');
  };
  return (
    <section aria-labelledby="org-departments">
      <h2 id="org-departments">{t('org.tabs.departments')}</h2>
      {ctx.org.departments.length === 0 && <p className="hint">{t('org.empty')}</p>}
      <ul className="org-list">
        {ctx.org.departments.map((d) => (
          <li key={d.id} className="org-card">
            {renaming === d.id ? (
              <RenameForm name={d.name} onSave={(next) => rename(d.id, next)} onCancel={() => setRenaming(null)} />
            ) : (
              <h3>{d.name}</h3>
            )}
            <Field className="org-field" label={t('org.departments.setHead', { name: d.name })}>
              <select
                value={d.headId ?? ''}
                onChange={(e) =>
                  void ctx.run(
                    () => orgCall(`/departments/${d.id}`, 'PATCH', { headId: e.target.value || null }),
                    'saved',
                  )
                }
              >
                <option value="">{t('org.departments.noHead')}</option>
                {d.officials.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
            <p>
              {t('common.labelled', { label: t('org.departments.officials'), text: '' })}
              {d.officials.length === 0
                ? t('org.none')
                : d.officials
                    .map((o) => t('common.withAside', { main: o.name, aside: o.title }))
                    .join(t('common.listSeparator'))}
            </p>
            <button type="button" onClick={() => setRenaming(d.id)} aria-label={t('org.renameOf', { name: d.name })}>
              {t('org.rename')}
            </button>{' '}
            <button
              type="button"
              aria-label={t('org.removeOf', { name: d.name })}
              onClick={() => remove(`/departments/${d.id}`, d.name)}
            >
              {t('org.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="org-form">
        <Field className="org-field" label={t('org.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <button type="submit">{t('org.add')}</button>
      </form>
    </section>
  );
}

function Leaders({ ctx }: { ctx: Ctx }) {
  const { t } = useTranslation();
  const remove = useRemove(ctx);
  const [name, setName] = useState('');
  const [post, setPost] = useState('');
  const [level, setLevel] = useState<'city' | 'town'>('city');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await ctx.run(() => orgCall('/leaders', 'POST', { name, post, level }), 'created')) {
      setName('');
      setPost('');
    }
  };
  return (
    <section aria-labelledby="org-leaders">
      <h2 id="org-leaders">{t('org.tabs.leaders')}</h2>
      {ctx.org.leaders.length === 0 && <p className="hint">{t('org.empty')}</p>}
      <ul className="org-list">
        {ctx.org.leaders.map((l) => (
          <li key={l.id} className="org-row">
            <span className="org-row__name">
              {l.name} · {l.post} · {t(`org.leaders.levels.${l.level}`)}
            </span>
            <Field className="org-field" label={t('org.leaders.levelOf', { name: l.name })}>
              <select
                value={l.level}
                onChange={(e) =>
                  void ctx.run(() => orgCall(`/leaders/${l.id}`, 'PATCH', { level: e.target.value }), 'saved')
                }
              >
                <option value="city">{t('org.leaders.levels.city')}</option>
                <option value="town">{t('org.leaders.levels.town')}</option>
              </select>
            </Field>
            <button
              type="button"
              aria-label={t('org.removeOf', { name: l.name })}
              onClick={() => remove(`/leaders/${l.id}`, l.name)}
            >
              {t('org.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="org-form">
        <Field className="org-field" label={t('org.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field className="org-field" label={t('org.leaders.post')}>
          <input value={post} onChange={(e) => setPost(e.target.value)} />
        </Field>
        <Field className="org-field" label={t('org.leaders.level')}>
          <select value={level} onChange={(e) => setLevel(e.target.value as 'city' | 'town')}>
            <option value="city">{t('org.leaders.levels.city')}</option>
            <option value="town">{t('org.leaders.levels.town')}</option>
          </select>
        </Field>
        <button type="submit">{t('org.add')}</button>
      </form>
    </section>
  );
}

function RoomBranch({ nodes, all, ctx }: { nodes: RoomNode[]; all: RoomNode[]; ctx: Ctx }) {
  const { t } = useTranslation();
  const remove = useRemove(ctx);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <ul className="org-tree">
      {nodes.map((n) => (
        <li key={n.room.id}>
          {editing === n.room.id ? (
            <RoomEdit node={n} all={all} ctx={ctx} onClose={() => setEditing(null)} />
          ) : (
            <span className="org-row">
              <span className="org-row__name">
                {n.room.name} · {t(`org.rooms.levels.${n.room.level}`)}
                {n.room.ownerUnit && <span className="hint"> · {n.room.ownerUnit}</span>}
              </span>
              <span className="org-row__actions">
                <button
                  type="button"
                  onClick={() => setEditing(n.room.id)}
                  aria-label={t('org.editOf', { name: n.room.name })}
                >
                  {t('org.members.editButton')}
                </button>
                <button
                  type="button"
                  aria-label={t('org.removeOf', { name: n.room.name })}
                  onClick={() => remove(`/rooms/${n.room.id}`, n.room.name)}
                >
                  {t('org.remove')}
                </button>
              </span>
            </span>
          )}
          {n.children.length > 0 && <RoomBranch nodes={n.children} all={all} ctx={ctx} />}
        </li>
      ))}
    </ul>
  );
}

/** Renames a room, moves it under another parent or changes its owning unit. */
function RoomEdit({ node, all, ctx, onClose }: { node: RoomNode; all: RoomNode[]; ctx: Ctx; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(node.room.name);
  const [parentId, setParentId] = useState(node.room.parentId ?? '');
  const [ownerUnit, setOwnerUnit] = useState(node.room.ownerUnit);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name, parentId: parentId || null, ownerUnit };
    if (await ctx.run(() => orgCall(`/rooms/${node.room.id}`, 'PATCH', body), 'saved')) onClose();
  };
  return (
    <form onSubmit={submit} className="org-form org-card">
      <Field className="org-field" label={t('org.name')}>
        <input
          value={name}
          // biome-ignore lint/a11y/noAutofocus: the form the edit button opened
          autoFocus
          onChange={(e) => setName(e.target.value)}
          required
        />
      </Field>
      <Field className="org-field" label={t('org.rooms.parent')}>
        <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">{t('org.none')}</option>
          {flattenTree(all)
            .filter((n) => n.room.id !== node.room.id)
            .map((n) => (
              <option key={n.room.id} value={n.room.id}>
                {'　'.repeat(n.depth)}
                {n.room.name}
              </option>
            ))}
        </select>
      </Field>
      <Field className="org-field" label={t('org.rooms.owner')}>
        <input value={ownerUnit} onChange={(e) => setOwnerUnit(e.target.value)} />
      </Field>
      <div className="org-row__actions">
        <button type="submit">{t('org.save')}</button>
        <button type="button" onClick={onClose}>
          {t('org.cancel')}
        </button>
      </div>
    </form>
  );
}

function Rooms({ ctx }: { ctx: Ctx }) {
  const { t } = useTranslation();
  const tree = buildRoomTree(ctx.org.rooms);
  const [name, setName] = useState('');
  const [level, setLevel] = useState<'city' | 'town' | 'village'>('village');
  const [parentId, setParentId] = useState('');
  const [ownerUnit, setOwnerUnit] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name, level, parentId: parentId || null, ownerUnit };
    if (await ctx.run(() => orgCall('/rooms', 'POST', body), 'created')) {
      setName('');
      setOwnerUnit('');
    }
  };
  return (
    <section aria-labelledby="org-rooms">
      <h2 id="org-rooms">{t('org.rooms.tree')}</h2>
      {tree.length === 0 ? <p className="hint">{t('org.empty')}</p> : <RoomBranch nodes={tree} all={tree} ctx={ctx} />}
      <form onSubmit={add} className="org-form">
        <Field className="org-field" label={t('org.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field className="org-field" label={t('org.rooms.level')}>
          <select value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
            {(['city', 'town', 'village'] as const).map((l) => (
              <option key={l} value={l}>
                {t(`org.rooms.levels.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field className="org-field" label={t('org.rooms.parent')}>
          <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">{t('org.none')}</option>
            {flattenTree(tree).map((n) => (
              <option key={n.room.id} value={n.room.id}>
                {'　'.repeat(n.depth)}
                {n.room.name}
              </option>
            ))}
          </select>
        </Field>
        <Field className="org-field" label={t('org.rooms.owner')}>
          <input value={ownerUnit} onChange={(e) => setOwnerUnit(e.target.value)} />
        </Field>
        <button type="submit">{t('org.add')}</button>
      </form>
    </section>
  );
}

function Members({ ctx }: { ctx: Ctx }) {
  const { t } = useTranslation();
  const loaded = useLoad(fetchMembers, [], { keep: true });
  // A failed read says so, over the list it kept if there is one.
  const members = loaded.data;
  const [filter, setFilter] = useState<MemberFilter>(noFilter);
  const [editing, setEditing] = useState<OrgMemberView | null>(null);
  const [link, setLink] = useState<{ name: string; url: string } | null>(null);
  const { reload: load } = loaded;
  const run: Ctx['run'] = async (action, done) => {
    const ok = await ctx.run(action, done);
    if (ok) load();
    return ok;
  };
  const shown = members ? filterMembers(members, filter) : [];
  const select = (key: keyof MemberFilter, label: string, options: Array<{ id: string; name: string }>) => (
    <Field className="org-field" label={label}>
      <select value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}>
        <option value="">{t('org.members.any')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
  const statuses = (['serving', 'suspended', 'left'] as const).map((s) => ({
    id: s,
    name: t(`org.members.statuses.${s}`),
  }));
  return (
    <section aria-labelledby="org-members">
      <h2 id="org-members">{t('org.tabs.members')}</h2>
      {loaded.error && <RefreshFailed error={loaded.error} kept={members !== null} onRetry={load} />}
      <fieldset className="org-filters">
        <legend>{t('org.members.filters')}</legend>
        {select('sectorId', t('org.members.fields.sector'), ctx.org.sectors)}
        {select('workingGroupId', t('org.members.fields.workingGroup'), ctx.org.workingGroups)}
        {select('districtId', t('org.members.fields.district'), ctx.org.districts)}
        {select('status', t('org.members.fields.status'), statuses)}
        <Field className="org-field" label={t('org.members.search')}>
          <input type="search" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        </Field>
      </fieldset>
      {members !== null && (
        <p className="hint" aria-live="polite">
          {t('org.members.count', { count: shown.length })}
        </p>
      )}
      {editing && (
        // One form per member: its fields are taken from the member when it opens, so 编辑 on
        // another member must open a new one, not retitle this one over the first one's fields.
        <MemberForm
          key={editing.id}
          ctx={ctx}
          member={editing}
          onDone={async (body) => {
            if (await run(() => updateMember(editing.id, body), 'saved')) setEditing(null);
          }}
          onCancel={() => setEditing(null)}
          onRights={(body) => void run(() => setRights(editing.id, body), 'saved').then((ok) => ok && setEditing(null))}
        />
      )}
      <ul className="org-list" data-testid="org-members">
        {shown.map((m) => (
          <li key={m.id} className="org-row">
            <span className="org-row__name">
              {m.name} · {t(`org.members.kinds.${m.kind}`)}
              {m.title && <span className="hint"> · {m.title}</span>}
              {m.canConvene && <span className="hint"> · {t('org.members.convener')}</span>}
              {m.status !== 'serving' && <span className="hint"> · {t(`org.members.statuses.${m.status}`)}</span>}
            </span>
            <button type="button" onClick={() => setEditing(m)} aria-label={t('org.members.edit', { name: m.name })}>
              {t('org.members.editButton')}
            </button>
          </li>
        ))}
      </ul>
      <NewMember
        ctx={ctx}
        onCreated={(name, url) => {
          setLink({ name, url });
          load();
        }}
      />
      {link && (
        <div className="banner" role="status" data-testid="org-member-link">
          <p>{t('org.members.linkFor', { name: link.name })}</p>
          <input readOnly value={link.url} aria-label={t('org.members.linkFor', { name: link.name })} />
        </div>
      )}
    </section>
  );
}

type MemberBody = Parameters<typeof updateMember>[1];

function MemberForm({
  ctx,
  member,
  onDone,
  onCancel,
  onRights,
}: {
  ctx: Ctx;
  member: OrgMemberView;
  onDone: (body: MemberBody) => void;
  onCancel: () => void;
  onRights: (body: { kind: 'member' | 'official' | 'staff'; admin: boolean }) => void;
}) {
  const { t } = useTranslation();
  const [f, setF] = useState({
    name: member.name,
    kind: member.kind,
    title: member.title,
    sectorId: member.sectorId ?? '',
    workingGroupId: member.workingGroupId ?? '',
    districtId: member.districtId ?? '',
    departmentId: member.departmentId ?? '',
    phone: member.phone,
    email: member.email,
    expertise: member.expertise.join(t('common.commaSeparator')),
    status: member.status,
  });
  const [canConvene, setCanConvene] = useState(member.canConvene);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: MemberBody = {
      name: f.name,
      title: f.title,
      sectorId: f.sectorId || null,
      workingGroupId: f.workingGroupId || null,
      districtId: f.districtId || null,
      phone: f.phone,
      email: f.email,
      expertise: parseTags(f.expertise),
      status: f.status,
    };
    if (f.kind !== 'staff') {
      body.kind = f.kind;
      if (f.kind === 'official') body.departmentId = f.departmentId || null;
    }
    if (f.kind === 'member') body.canConvene = canConvene;
    onDone(body);
  };
  const pick = (key: keyof typeof f, label: string, options: Array<{ id: string; name: string }>) => (
    <Field className="org-field" label={label}>
      <select value={f[key]} onChange={set(key)}>
        <option value="">{t('org.none')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <form onSubmit={submit} className="org-form org-card" data-testid="org-member-form">
      <h3 ref={headingRef} tabIndex={-1}>
        {t('org.members.editing', { name: member.name })}
      </h3>
      <Field className="org-field" label={t('org.members.fields.name')}>
        <input value={f.name} onChange={set('name')} required />
      </Field>
      {member.kind !== 'staff' && (
        <Field className="org-field" label={t('org.members.fields.kind')}>
          <select value={f.kind} onChange={set('kind')}>
            <option value="member">{t('org.members.kinds.member')}</option>
            <option value="official">{t('org.members.kinds.official')}</option>
          </select>
        </Field>
      )}
      <Field className="org-field" label={t('org.members.fields.title')}>
        <input value={f.title} onChange={set('title')} />
      </Field>
      {pick('sectorId', t('org.members.fields.sector'), ctx.org.sectors)}
      {pick('workingGroupId', t('org.members.fields.workingGroup'), ctx.org.workingGroups)}
      {pick('districtId', t('org.members.fields.district'), ctx.org.districts)}
      {f.kind === 'official' && pick('departmentId', t('org.members.fields.department'), ctx.org.departments)}
      {f.kind === 'member' && (
        <Field check label={t('org.members.fields.canConvene')} hint={t('org.members.canConveneHint')}>
          <input
            type="checkbox"
            checked={canConvene}
            onChange={(e) => setCanConvene(e.target.checked)}
            data-testid="org-member-can-convene"
          />
        </Field>
      )}
      <Field className="org-field" label={t('org.members.fields.phone')}>
        <input type="tel" value={f.phone} onChange={set('phone')} />
      </Field>
      <Field className="org-field" label={t('org.members.fields.email')}>
        <input type="email" value={f.email} onChange={set('email')} />
      </Field>
      <Field className="org-field" label={t('org.members.fields.expertise')}>
        <input value={f.expertise} onChange={set('expertise')} />
      </Field>
      <Field className="org-field" label={t('org.members.fields.status')}>
        <select value={f.status} onChange={set('status')}>
          {(['serving', 'suspended', 'left'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`org.members.statuses.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="org-row__actions">
        <button type="submit">{t('org.save')}</button>
        <button type="button" onClick={onCancel}>
          {t('org.cancel')}
        </button>
      </div>
      <fieldset>
        <legend>{t('org.members.rights')}</legend>
        {member.kind === 'staff' ? (
          <>
            {!member.admin && (
              <button type="button" onClick={() => onRights({ kind: 'staff', admin: true })}>
                {t('org.members.makeAdmin')}
              </button>
            )}
            <button type="button" onClick={() => onRights({ kind: 'member', admin: false })}>
              {t('org.members.removeRights')}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => onRights({ kind: 'staff', admin: false })}>
            {t('org.members.makeStaff')}
          </button>
        )}
      </fieldset>
    </form>
  );
}

function NewMember({ ctx, onCreated }: { ctx: Ctx; onCreated: (name: string, url: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [login, setLogin] = useState('');
  const [kind, setKind] = useState<'member' | 'official'>('member');
  const [sectorId, setSectorId] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let made: { name: string; url: string } | null = null;
    const ok = await ctx.run(async () => {
      const link = await createMember({
        name,
        login,
        kind,
        sectorId: sectorId || null,
        departmentId: kind === 'official' ? departmentId || null : null,
      });
      made = { name: link.account.name, url: `${window.location.origin}${link.path}` };
    }, 'created');
    if (ok && made) {
      const { name: n, url } = made;
      onCreated(n, url);
      setName('');
      setLogin('');
    }
  };
  return (
    <form onSubmit={submit} className="org-form org-card">
      <h3>{t('org.members.add')}</h3>
      <Field className="org-field" label={t('org.members.fields.name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field className="org-field" label={t('org.members.login')}>
        <input value={login} onChange={(e) => setLogin(e.target.value)} required autoComplete="off" />
      </Field>
      <Field className="org-field" label={t('org.members.fields.kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'member' | 'official')}>
          <option value="member">{t('org.members.kinds.member')}</option>
          <option value="official">{t('org.members.kinds.official')}</option>
        </select>
      </Field>
      <Field className="org-field" label={t('org.members.fields.sector')}>
        <select value={sectorId} onChange={(e) => setSectorId(e.target.value)}>
          <option value="">{t('org.none')}</option>
          {ctx.org.sectors.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      {kind === 'official' && (
        <Field className="org-field" label={t('org.members.fields.department')}>
          <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">{t('org.none')}</option>
            {ctx.org.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <button type="submit">{t('org.add')}</button>
    </form>
  );
}
