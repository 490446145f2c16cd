import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { type Editor, EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { limits, minutesSchema } from '@yitang/shared';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { AgendaSection } from './extensions/AgendaSection';
import { RoomEvent } from './extensions/RoomEvent';
import type { MinutesUser } from './peers';

function editorAttributes(label: string, editable: boolean, describedBy: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {
    'aria-label': label,
    'aria-multiline': 'true',
    'aria-readonly': String(!editable),
    role: 'textbox',
    class: editable ? 'minutes-editor' : 'minutes-editor minutes-editor--readonly',
    'data-testid': 'minutes-editor',
  };
  if (describedBy) attributes['aria-describedby'] = describedBy;
  return attributes;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** A remote caret with its owner's name; hidden from screen readers, which get the presence list. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = text(user.color);
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.setAttribute('aria-hidden', 'true');
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.textContent = text(user.name);
  caret.append(label);
  return caret;
}

function Toolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      heading: e.isActive('heading', { level: 2 }),
      bold: e.isActive('bold'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      link: e.isActive('link'),
    }),
  });
  const buttons = [
    { key: 'heading', run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: 'bold', run: () => editor.chain().focus().toggleBold().run() },
    { key: 'bulletList', run: () => editor.chain().focus().toggleBulletList().run() },
    { key: 'orderedList', run: () => editor.chain().focus().toggleOrderedList().run() },
    {
      key: 'link',
      run: () => {
        const current = editor.getAttributes('link').href;
        const href = window.prompt(t('minutes.linkPrompt'), typeof current === 'string' ? current : 'https://');
        if (href === null) return;
        const chain = editor.chain().focus().extendMarkRange('link');
        if (href.trim() === '' || !/^https?:\/\//.test(href.trim())) chain.unsetLink().run();
        else chain.setLink({ href: href.trim() }).run();
      },
    },
  ] as const;
  return (
    <div className="toolbar" role="toolbar" aria-label={t('minutes.toolbar')}>
      {buttons.map(({ key, run }) => (
        <button key={key} type="button" className="button button--small" aria-pressed={active[key]} onClick={run}>
          {t(`minutes.${key}`)}
        </button>
      ))}
    </div>
  );
}

/** The text selected inside `root`, or null when the selection is elsewhere (keep the last one then). */
function selectionIn(root: HTMLElement): string | null {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const { anchorNode, focusNode } = selection;
  if (!anchorNode || !focusNode || !root.contains(anchorNode) || !root.contains(focusNode)) return null;
  return Array.from(selection.toString().trim().replace(/\s+/g, ' ')).slice(0, limits.maxSuggestionLength).join('');
}

interface MinutesEditorProps {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  /** False for readers and once the minutes are frozen; never because the socket is down. */
  editable: boolean;
  /** Who we are to the others (name and caret colour). */
  user: MinutesUser;
  /** The id of the note saying why the editor is read-only, if it is. */
  describedBy?: string;
  /** Told the text selected in the minutes ('' for none) as the selection changes inside them. */
  onSelectText?: (text: string) => void;
}

/**
 * TipTap bound to the shared document, with the room's agenda sections and event cards and the
 * others' carets. History comes from Collaboration, not StarterKit.
 */
export function MinutesEditor({ ydoc, provider, editable, user, describedBy, onSelectText }: MinutesEditorProps) {
  const { t } = useTranslation();
  const label = t('minutes.editorLabel');
  const editor = useEditor(
    {
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        AgendaSection,
        RoomEvent,
        Collaboration.configure({ document: ydoc, field: minutesSchema.fragment }),
        CollaborationCaret.configure({ provider, user, render: renderCaret }),
      ],
      editorProps: { attributes: editorAttributes(label, editable, describedBy) },
    },
    [ydoc, provider],
  );

  // Attributes are fixed at creation; follow language switches and the right to write.
  useEffect(() => {
    editor.setOptions({ editorProps: { attributes: editorAttributes(label, editable, describedBy) } });
    if (editor.isEditable !== editable) editor.setEditable(editable, false);
  }, [editor, label, editable, describedBy]);

  // Name, colour or rights changed: tell the others.
  useEffect(() => {
    editor.commands.updateUser({ ...user });
  }, [editor, user]);

  useEffect(() => {
    if (!onSelectText) return;
    const onChange = () => {
      if (editor.isDestroyed) return;
      const root = editor.view.dom;
      if (!(root instanceof HTMLElement)) return;
      const selected = selectionIn(root);
      if (selected !== null) onSelectText(selected);
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [editor, onSelectText]);

  return (
    <div className="minutes-body">
      {editable && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}
