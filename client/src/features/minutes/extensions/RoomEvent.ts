import { mergeAttributes, Node } from '@tiptap/core';
import { minutesSchema, RoomEventKind, splitRoomEventText } from '@yitang/shared';
import { i18n } from '../../../i18n';

const stringAttr = (value: unknown) => (typeof value === 'string' ? value : '');

/** The kind of an event block, or null for a kind this client does not know (shown generically). */
export function eventKindOf(value: unknown): RoomEventKind | null {
  const kind = RoomEventKind.safeParse(value);
  return kind.success ? kind.data : null;
}

/** A glyph per kind, decorative only (the kind is also written out). */
const icons: Record<RoomEventKind, string> = { speech: '❝', suggestion: '✎', poll: '☑', outcome: '★' };

function kindLabel(kind: RoomEventKind | null): string {
  return kind ? i18n.t(`minutes.event.kind.${kind}`) : i18n.t('minutes.event.other');
}

/**
 * Something that happened in the room (a speech, a suggestion, a poll, an outcome), written into the
 * minutes by the server as a `roomEvent` atom with attrs { kind, refId, text }. It is a card nobody
 * edits in place; writers annotate it with paragraphs around it.
 */
export const RoomEvent = Node.create({
  name: minutesSchema.event,
  group: 'block',
  atom: true,
  // A click or an arrow key never selects the card, so typing can't replace a record by accident;
  // the cursor moves past it to the paragraphs around it (or a gap cursor between two cards).
  selectable: false,
  draggable: false,

  addAttributes() {
    return {
      kind: {
        default: 'speech',
        parseHTML: (el) => el.getAttribute('data-kind') ?? 'speech',
        renderHTML: (attrs) => ({ 'data-kind': stringAttr(attrs.kind) }),
      },
      refId: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-ref-id') ?? '',
        renderHTML: (attrs) => ({ 'data-ref-id': stringAttr(attrs.refId) }),
      },
      text: {
        default: '',
        parseHTML: (el) => el.querySelector('.room-event__text')?.textContent ?? el.textContent ?? '',
        // The text is the card's content, not an attribute, in HTML.
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'div[data-room-event]' }];
  },

  // For the clipboard and HTML export; the editor itself draws the node view below.
  renderHTML({ node, HTMLAttributes }) {
    return [
      'div',
      mergeAttributes(HTMLAttributes, { 'data-room-event': '', class: 'room-event' }),
      [
        'strong',
        { class: 'room-event__kind' },
        `${splitRoomEventText(stringAttr(node.attrs.text)).label ?? kindLabel(eventKindOf(node.attrs.kind))}${i18n.t('minutes.event.separator')}`,
      ],
      ['span', { class: 'room-event__text' }, splitRoomEventText(stringAttr(node.attrs.text)).text],
    ];
  },

  addNodeView() {
    return ({ node: initial }) => {
      let node = initial;
      const dom = document.createElement('div');
      dom.contentEditable = 'false';
      dom.setAttribute('data-testid', 'room-event');
      const icon = document.createElement('span');
      icon.className = 'room-event__icon';
      icon.setAttribute('aria-hidden', 'true');
      const label = document.createElement('strong');
      label.className = 'room-event__kind';
      // Heard between the kind and the text ("发言：…"), not shown: the card's layout separates them.
      const separator = document.createElement('span');
      separator.className = 'visually-hidden';
      const text = document.createElement('span');
      text.className = 'room-event__text';
      dom.append(icon, label, separator, text);

      const render = () => {
        const kind = eventKindOf(node.attrs.kind);
        dom.className = `room-event room-event--${kind ?? 'other'}`;
        dom.setAttribute('data-kind', stringAttr(node.attrs.kind));
        dom.setAttribute('data-ref-id', stringAttr(node.attrs.refId));
        icon.textContent = kind ? icons[kind] : '•';
        // The server's text names its kind ("发言：周敏（3分钟）"): the label is shown once.
        const parts = splitRoomEventText(stringAttr(node.attrs.text));
        label.textContent = parts.label ?? kindLabel(kind);
        separator.textContent = i18n.t('minutes.event.separator');
        text.textContent = parts.text;
      };
      render();
      i18n.on('languageChanged', render);

      return {
        dom,
        update: (next) => {
          if (next.type !== node.type) return false;
          node = next;
          render();
          return true;
        },
        ignoreMutation: () => true,
        destroy: () => i18n.off('languageChanged', render),
      };
    };
  },
});
