import { type AgendaItem, limits } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { Section } from '../../components/Section';
import { moveItem } from '../../lib/arrays';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

type ItemProblem = 'title' | 'minutes';

/** Checks an item's fields as typed; the numbers are whole minutes within the limit. */
function readItem(
  title: string,
  minutes: string,
): { ok: true; title: string; plannedMinutes: number } | { ok: false; problems: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  const trimmed = title.trim();
  if (trimmed === '' || trimmed.length > limits.maxAgendaTitleLength) problems.push('title');
  const n = /^\s*\d+\s*$/.test(minutes) ? Number(minutes) : Number.NaN;
  if (!(n >= 1 && n <= limits.maxAgendaItemMinutes)) problems.push('minutes');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, title: trimmed, plannedMinutes: n };
}

function ItemFields(props: {
  title: string;
  minutes: string;
  problems: ItemProblem[];
  onTitle: (v: string) => void;
  onMinutes: (v: string) => void;
  testPrefix: string;
}) {
  const { t } = useTranslation();
  const badTitle = props.problems.includes('title');
  const badMinutes = props.problems.includes('minutes');
  return (
    <div className="agenda-fields">
      <Field
        className="agenda-fields__title"
        label={t('agenda.itemTitle')}
        error={badTitle ? t('agenda.titleInvalid', { max: limits.maxAgendaTitleLength }) : undefined}
      >
        <input
          type="text"
          value={props.title}
          maxLength={limits.maxAgendaTitleLength}
          onChange={(e) => props.onTitle(e.target.value)}
          data-testid={`${props.testPrefix}-title`}
        />
      </Field>
      <Field
        className="agenda-fields__minutes"
        label={t('agenda.itemMinutes')}
        error={badMinutes ? t('agenda.minutesInvalid', { max: limits.maxAgendaItemMinutes }) : undefined}
      >
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={limits.maxAgendaItemMinutes}
          className="input--short"
          value={props.minutes}
          onChange={(e) => props.onMinutes(e.target.value)}
          data-testid={`${props.testPrefix}-minutes`}
        />
      </Field>
    </div>
  );
}

function EditItemForm({ item, onDone }: { item: AgendaItem; onDone: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(item.title);
  const [minutes, setMinutes] = useState(String(item.plannedMinutes));
  const [problems, setProblems] = useState<ItemProblem[]>([]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readItem(title, minutes);
    if (!read.ok) {
      setProblems(read.problems);
      return;
    }
    const res = await call('agenda:update', {
      itemId: item.id,
      title: read.title,
      plannedMinutes: read.plannedMinutes,
    });
    if (res.ok) onDone();
  };
  return (
    <form className="agenda-edit" onSubmit={submit} noValidate>
      <ItemFields
        title={title}
        minutes={minutes}
        problems={problems}
        onTitle={setTitle}
        onMinutes={setMinutes}
        testPrefix="agenda-edit"
      />
      <div className="row">
        <button type="submit" className="button button--primary button--small" data-testid="agenda-edit-save">
          {t('common.save')}
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddItemForm({ agenda }: { agenda: AgendaItem[] }) {
  const { t } = useTranslation();
  const _positionId = useId();
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('10');
  const [after, setAfter] = useState<string>('');
  const [problems, setProblems] = useState<ItemProblem[]>([]);
  const full = agenda.length >= limits.maxAgendaItems;
  // Default: at the end.
  const last = agenda[agenda.length - 1]?.id ?? '';
  const afterId = after === '' ? last : after === '^' ? '' : after;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readItem(title, minutes);
    if (!read.ok) {
      setProblems(read.problems);
      return;
    }
    setProblems([]);
    const res = await call('agenda:add', {
      title: read.title,
      plannedMinutes: read.plannedMinutes,
      afterItemId: afterId === '' ? null : afterId,
    });
    if (res.ok) {
      setTitle('');
      setAfter('');
    }
  };

  return (
    <form className="agenda-add" onSubmit={submit} noValidate>
      <h3>{t('agenda.addTitle')}</h3>
      {full ? (
        <p className="hint">{t('agenda.full', { max: limits.maxAgendaItems })}</p>
      ) : (
        <>
          <ItemFields
            title={title}
            minutes={minutes}
            problems={problems}
            onTitle={setTitle}
            onMinutes={setMinutes}
            testPrefix="agenda-add"
          />
          <Field label={t('agenda.position')}>
            <select
              value={afterId === '' ? '^' : afterId}
              onChange={(e) => setAfter(e.target.value)}
              data-testid="agenda-add-position"
            >
              <option value="^">{t('agenda.atStart')}</option>
              {agenda.map((a) => (
                <option key={a.id} value={a.id}>
                  {t('agenda.after', { title: a.title })}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button button--primary" data-testid="agenda-add-submit">
            {t('agenda.add')}
          </button>
        </>
      )}
    </form>
  );
}

function AgendaRow({ item, index, editing }: { item: AgendaItem; index: number; editing: boolean }) {
  const { t } = useTranslation();
  const agenda = useAppStore((s) => s.session?.agenda ?? []);
  const currentItemId = useAppStore((s) => s.session?.currentItemId ?? null);
  const goto = useCapability('agenda:goto');
  const update = useCapability('agenda:update');
  const reorder = useCapability('agenda:reorder');
  const remove = useCapability('agenda:remove');
  const [editingItem, setEditingItem] = useState(false);
  const isCurrent = item.id === currentItemId;
  const order = agenda.map((a) => a.id);
  return (
    <li
      className={isCurrent ? 'agenda__item agenda__item--current' : 'agenda__item'}
      aria-current={isCurrent ? 'step' : undefined}
      data-testid={`agenda-item-${item.id}`}
      data-current={isCurrent}
    >
      <div className="agenda__main">
        <div className="agenda__text">
          <span className="agenda__title">
            <span className="agenda__num" aria-hidden="true">
              {index + 1}.
            </span>{' '}
            {item.title}
          </span>
          <span className="agenda__meta">
            {t('agenda.minutes', { count: item.plannedMinutes })}
            {isCurrent && <span className="badge badge--live">{t('agenda.current')}</span>}
          </span>
        </div>
        {goto.shown && !isCurrent && (
          <button
            type="button"
            className="button button--small"
            aria-label={t('agenda.gotoLabel', { title: item.title })}
            disabled={goto.hindrance !== null}
            onClick={() => void call('agenda:goto', { itemId: item.id })}
            data-testid="agenda-goto"
          >
            {t('agenda.goto')}
          </button>
        )}
      </div>
      {editing && !editingItem && (
        <div className="agenda__tools">
          {reorder.shown && (
            <>
              <button
                type="button"
                className="button button--small button--icon"
                aria-label={t('agenda.moveUpLabel', { title: item.title })}
                disabled={reorder.hindrance !== null || index === 0}
                onClick={() => void call('agenda:reorder', { itemIds: moveItem(order, index, -1) })}
                data-testid={`agenda-up-${item.id}`}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                className="button button--small button--icon"
                aria-label={t('agenda.moveDownLabel', { title: item.title })}
                disabled={reorder.hindrance !== null || index === agenda.length - 1}
                onClick={() => void call('agenda:reorder', { itemIds: moveItem(order, index, 1) })}
                data-testid={`agenda-down-${item.id}`}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </>
          )}
          {update.shown && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('agenda.editLabel', { title: item.title })}
              disabled={update.hindrance !== null}
              onClick={() => setEditingItem(true)}
              data-testid={`agenda-edit-${item.id}`}
            >
              {t('common.edit')}
            </button>
          )}
          {remove.shown && isCurrent && <span className="hint">{t('agenda.currentNotRemovable')}</span>}
          {remove.shown && !isCurrent && (
            <ConfirmButton
              confirmKey={`agenda:remove:${item.id}`}
              question={t('agenda.removeConfirm', { title: item.title })}
              onConfirm={() => void call('agenda:remove', { itemId: item.id })}
              className="button button--small"
              ariaLabel={t('agenda.removeLabel', { title: item.title })}
              disabled={remove.hindrance !== null}
              testId={`agenda-remove-${item.id}`}
            >
              {t('common.remove')}
            </ConfirmButton>
          )}
        </div>
      )}
      {editing && editingItem && <EditItemForm item={item} onDone={() => setEditingItem(false)} />}
    </li>
  );
}

/** The whole agenda; chairs can edit it, conveners move the room to another item. */
export function AgendaPanel() {
  const { t } = useTranslation();
  const noteId = useId();
  const agenda = useAppStore((s) => s.session?.agenda);
  const add = useCapability('agenda:add');
  const [editing, setEditing] = useState(false);
  return (
    <Section
      title={t('agenda.title')}
      titleText={t('agenda.title')}
      testId="agenda-panel"
      aside={
        add.shown && (
          <button
            type="button"
            className="button button--small"
            aria-pressed={editing}
            onClick={() => setEditing((e) => !e)}
            disabled={add.hindrance !== null}
            aria-describedby={add.hindrance ? noteId : undefined}
            data-testid="agenda-edit-toggle"
          >
            {t('agenda.edit')}
          </button>
        )
      }
    >
      {add.shown && <HindranceNote id={noteId} hindrance={add.hindrance} />}
      {!agenda || agenda.length === 0 ? (
        <p className="muted">{t('agenda.empty')}</p>
      ) : (
        <ol className="agenda" data-testid="agenda-list">
          {agenda.map((item, index) => (
            <AgendaRow key={item.id} item={item} index={index} editing={editing && add.hindrance === null} />
          ))}
        </ol>
      )}
      {editing && add.hindrance === null && <AddItemForm agenda={agenda ?? []} />}
    </Section>
  );
}
