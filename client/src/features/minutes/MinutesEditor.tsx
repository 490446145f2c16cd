import Collaboration from '@tiptap/extension-collaboration';
import { type Editor, EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';

function editorAttributes(label: string): Record<string, string> {
  return {
    'aria-label': label,
    'aria-multiline': 'true',
    role: 'textbox',
    class: 'minutes-editor',
    'data-testid': 'minutes-editor',
  };
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
    }),
  });
  const buttons = [
    { key: 'heading', run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: 'bold', run: () => editor.chain().focus().toggleBold().run() },
    { key: 'bulletList', run: () => editor.chain().focus().toggleBulletList().run() },
    { key: 'orderedList', run: () => editor.chain().focus().toggleOrderedList().run() },
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

/** TipTap bound to the shared document; history comes from Collaboration, not StarterKit. */
export function MinutesEditor({ ydoc }: { ydoc: Y.Doc }) {
  const { t } = useTranslation();
  const label = t('minutes.editorLabel');
  const editor = useEditor(
    {
      extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ document: ydoc })],
      editorProps: { attributes: editorAttributes(label) },
    },
    [ydoc],
  );

  // The label is fixed at creation; follow language switches.
  useEffect(() => {
    editor.setOptions({ editorProps: { attributes: editorAttributes(label) } });
  }, [editor, label]);

  return (
    <div className="minutes-body">
      <Toolbar editor={editor} />
      <EditorContent editor={editor} />
    </div>
  );
}
