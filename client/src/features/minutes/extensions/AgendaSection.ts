import { mergeAttributes, Node } from '@tiptap/core';
import { minutesSchema } from '@yitang/shared';
import { i18n } from '../../../i18n';

const stringAttr = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * One agenda item's part of the minutes. The server writes one per agenda item, in agenda order,
 * as `agendaSection` with attrs { itemId, title }; the title shows as a label nobody edits here (it
 * follows the agenda), and the content is ordinary editable blocks and the room's event cards.
 */
export const AgendaSection = Node.create({
  name: minutesSchema.section,
  group: 'block',
  content: 'block+',
  // Pasting or joining keeps the section; Backspace at its start does not merge it into the previous one.
  defining: true,
  isolating: true,
  selectable: false,
  draggable: false,

  addAttributes() {
    return {
      itemId: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-item-id') ?? '',
        renderHTML: (attrs) => ({ 'data-item-id': stringAttr(attrs.itemId) }),
      },
      title: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-title') ?? '',
        renderHTML: (attrs) => ({ 'data-title': stringAttr(attrs.title) }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'section[data-agenda-section]', contentElement: '.agenda-section__body' }];
  },

  // For the clipboard and HTML export; the editor itself draws the node view below.
  renderHTML({ node, HTMLAttributes }) {
    return [
      'section',
      mergeAttributes(HTMLAttributes, { 'data-agenda-section': '', class: 'agenda-section' }),
      ['h3', { class: 'agenda-section__title' }, stringAttr(node.attrs.title)],
      ['div', { class: 'agenda-section__body' }, 0],
    ];
  },

  addNodeView() {
    return ({ node: initial }) => {
      let node = initial;
      const dom = document.createElement('section');
      dom.className = 'agenda-section';
      dom.setAttribute('data-testid', 'agenda-section');
      dom.setAttribute('role', 'group');

      const head = document.createElement('div');
      head.className = 'agenda-section__title';
      head.contentEditable = 'false';
      head.setAttribute('role', 'heading');
      head.setAttribute('aria-level', '3');
      const kicker = document.createElement('span');
      kicker.className = 'agenda-section__kicker';
      const title = document.createElement('span');
      head.append(kicker, title);

      const contentDOM = document.createElement('div');
      contentDOM.className = 'agenda-section__body';
      dom.append(head, contentDOM);

      const render = () => {
        const text = stringAttr(node.attrs.title);
        const label = i18n.t('minutes.section.label');
        dom.setAttribute('data-item-id', stringAttr(node.attrs.itemId));
        dom.setAttribute('aria-label', i18n.t('minutes.section.aria', { title: text }));
        kicker.textContent = label;
        title.textContent = text || i18n.t('minutes.section.untitled');
      };
      render();
      i18n.on('languageChanged', render);

      return {
        dom,
        contentDOM,
        update: (next) => {
          if (next.type !== node.type) return false;
          node = next;
          render();
          return true;
        },
        // Only the content is ProseMirror's; the label is ours.
        ignoreMutation: (mutation) => mutation.type !== 'selection' && !contentDOM.contains(mutation.target),
        destroy: () => i18n.off('languageChanged', render),
      };
    };
  },
});
