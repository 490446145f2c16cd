import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  type ILevelsOptions,
  type IRunOptions,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  type Table,
  TextRun,
} from 'docx';
import { eventParts, inlineText, isChinese, type Prepared, prepare, safeHref, shiftLevel } from './common';
import type { BlockNode, ExportInput, InlineNode, HeadingLevel as Level } from './types';

const serif = 'Noto Serif CJK SC';
const sans = 'Noto Sans CJK SC';
const mono = 'Noto Sans Mono CJK SC';
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

// A4 in twips (1/1440 inch) with 2 cm side margins.
const pageWidth = 11906;
const pageHeight = 16838;
const sideMargin = 1134;
const indentStep = 420; // ~ two CJK characters at 10.5pt; one level of list or quote
const firstLineIndent = 480; // two characters at 12pt, the Chinese paragraph indent

const bulletRef = 'minutes-bullet';
const orderedRef = (start: number) => `minutes-ordered-${start}`;

const headings: Record<Level, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
  4: HeadingLevel.HEADING_4,
  5: HeadingLevel.HEADING_5,
  6: HeadingLevel.HEADING_6,
};

/** Where a block sits: how deep in lists and quotes, and how far its headings are shifted. */
interface Ctx {
  p: Prepared;
  zh: boolean;
  offset: number;
  /** Left indent in twips from enclosing quotes and list items. */
  indent: number;
  quote: boolean;
  listLevel: number;
  /** Ordered-list start values met, one numbering definition each. */
  starts: Set<number>;
  /** Next list instance; each list gets its own so numbering restarts. */
  nextInstance: { n: number };
}

/** The minutes as a Word document (.docx), A4, laid out as the HTML (a 协商议事活动纪要). */
export async function toDocx(input: ExportInput): Promise<Buffer> {
  const p = prepare(input);
  const { labels } = p;
  const zh = isChinese(labels);
  const title = p.title;
  const ctx: Ctx = {
    p,
    zh,
    offset: 1,
    indent: 0,
    quote: false,
    listLevel: 0,
    starts: new Set(),
    nextInstance: { n: 1 },
  };

  const children: Array<Paragraph | Table> = [new Paragraph({ heading: HeadingLevel.TITLE, text: title })];
  if (p.number !== null) {
    children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, text: p.number }));
  }
  for (const m of p.meta) {
    children.push(
      new Paragraph({
        spacing: { after: 0 },
        children: [new TextRun({ text: `${m.label}${labels.colon}`, bold: true }), new TextRun(m.value)],
      }),
    );
  }
  if (p.attendanceSummary !== '') children.push(new Paragraph({ spacing: { after: 0 }, text: p.attendanceSummary }));
  if (p.version !== '') {
    children.push(new Paragraph({ children: [new TextRun({ text: p.version, size: 20, color: '555555' })] }));
  }

  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, text: labels.content }));
  const body = blocks(p.body, ctx);
  children.push(...(body.length > 0 ? body : [new Paragraph(labels.emptyMinutes)]));

  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, text: labels.decisions }));
  if (p.decisions.length === 0) {
    children.push(new Paragraph(labels.noDecisions));
  } else {
    ctx.starts.add(1);
    const numbering = { reference: orderedRef(1), level: 0, instance: ctx.nextInstance.n++ };
    for (const d of p.decisions) {
      children.push(
        new Paragraph({ numbering, indent: { left: indentStep, hanging: indentStep }, children: textRuns(d, {}) }),
      );
    }
  }
  p.signatures.forEach((line, i) => {
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: { before: i === 0 ? 720 : 360 },
        keepLines: true,
        children: [new TextRun(line)],
      }),
    );
  });

  const doc = new Document({
    title,
    creator: '议堂 Yitang',
    styles: {
      default: {
        document: {
          run: { font: font(serif), size: 24, language: { value: labels.lang, eastAsia: 'zh-CN' } },
          paragraph: { spacing: { line: 360, after: 120 } },
        },
        title: {
          run: { font: font(serif), size: 40, bold: true, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } },
        },
        heading1: headingStyle(30, 360),
        heading2: headingStyle(28, 240),
        heading3: headingStyle(26, 200),
        heading4: headingStyle(24, 160),
        heading5: headingStyle(24, 120),
        heading6: headingStyle(24, 120),
      },
    },
    numbering: {
      config: [
        { reference: bulletRef, levels: levels(LevelFormat.BULLET, 1) },
        ...Array.from(ctx.starts, (start) => ({
          reference: orderedRef(start),
          levels: levels(LevelFormat.DECIMAL, start),
        })),
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: pageWidth, height: pageHeight },
            margin: { top: 1418, bottom: 1247, left: sideMargin, right: sideMargin },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], size: 18 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function headingStyle(size: number, before: number) {
  return {
    run: { font: font(sans), size, bold: true, color: '000000' },
    paragraph: { spacing: { before, after: 120 }, keepNext: true },
  };
}

const bullets = ['●', '○', '■'];

function levels(format: (typeof LevelFormat)[keyof typeof LevelFormat], start: number): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format,
    text: format === LevelFormat.BULLET ? (bullets[level % bullets.length] ?? '●') : `%${level + 1}.`,
    start: level === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: indentStep * (level + 1), hanging: indentStep } } },
  }));
}

/** Runs for plain text, its line breaks kept. */
function textRuns(text: string, props: IRunOptions): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ ...props, text: line, break: i > 0 ? 1 : undefined }));
}

function blocks(nodes: BlockNode[], ctx: Ctx): Array<Paragraph | Table> {
  return nodes.flatMap((n) => block(n, ctx));
}

function plainParagraph(ctx: Ctx, children: ParagraphChild[], extra: { body?: boolean } = {}): Paragraph {
  const firstLine = extra.body && ctx.zh && ctx.indent === 0 && !ctx.quote ? firstLineIndent : undefined;
  return new Paragraph({
    children,
    indent: ctx.indent > 0 || firstLine ? { left: ctx.indent, firstLine } : undefined,
    border: quoteBorder(ctx),
  });
}

function quoteBorder(ctx: Ctx) {
  return ctx.quote ? { left: { style: BorderStyle.SINGLE, size: 12, color: '999999', space: 8 } } : undefined;
}

function block(node: BlockNode, ctx: Ctx): Array<Paragraph | Table> {
  const { labels } = ctx.p;
  switch (node.type) {
    case 'heading':
      return [
        new Paragraph({
          heading: headings[shiftLevel(node.level, ctx.offset)],
          children: inline(node.content),
          indent: ctx.indent > 0 ? { left: ctx.indent } : undefined,
        }),
      ];
    case 'paragraph':
      if (inlineText(node.content).trim() === '') return [];
      return [plainParagraph(ctx, inline(node.content), { body: true })];
    case 'bulletList':
    case 'orderedList': {
      const reference = node.type === 'bulletList' ? bulletRef : orderedRef(node.start);
      if (node.type === 'orderedList') ctx.starts.add(node.start);
      // Each list is an instance of its own, so an ordered list counts from its start again.
      const numbering = { reference, level: Math.min(ctx.listLevel, 8), instance: ctx.nextInstance.n++ };
      const inner: Ctx = { ...ctx, listLevel: ctx.listLevel + 1, indent: ctx.indent + indentStep };
      return node.content.flatMap((item) => {
        // The item's first paragraph carries the number; an item starting otherwise gets an empty numbered line.
        const [first, ...rest] = item.content;
        const head = new Paragraph({
          numbering,
          indent: { left: inner.indent, hanging: indentStep },
          border: quoteBorder(ctx),
          children: first?.type === 'paragraph' ? inline(first.content) : [],
        });
        return [head, ...blocks(first?.type === 'paragraph' ? rest : item.content, inner)];
      });
    }
    case 'blockquote':
      return blocks(node.content, { ...ctx, quote: true, indent: ctx.indent + indentStep });
    case 'codeBlock':
      return [
        new Paragraph({
          indent: ctx.indent > 0 ? { left: ctx.indent } : undefined,
          shading: { type: ShadingType.CLEAR, fill: 'F4F4F4', color: 'auto' },
          spacing: { line: 276 },
          children: textRuns(node.text, { font: font(mono), size: 20 }),
        }),
      ];
    case 'horizontalRule':
      return [
        new Paragraph({
          indent: ctx.indent > 0 ? { left: ctx.indent } : undefined,
          border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } },
          children: [],
        }),
      ];
    case 'agendaSection': {
      const title = node.title.trim() === '' ? labels.untitledAgendaItem : node.title;
      return [
        new Paragraph({
          heading: headings[shiftLevel(1, ctx.offset)],
          indent: ctx.indent > 0 ? { left: ctx.indent } : undefined,
          children: textRuns(title, {}),
        }),
        ...blocks(node.content, { ...ctx, offset: ctx.offset + 1 }),
      ];
    }
    case 'roomEvent': {
      const e = eventParts(node, labels);
      return [
        new Paragraph({
          indent: { left: ctx.indent + 120 },
          shading: { type: ShadingType.CLEAR, fill: 'FAF6F4', color: 'auto' },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'BB2222', space: 6 } },
          children: [
            new TextRun({ text: `${e.label}${labels.colon}`, bold: true, font: font(sans) }),
            ...textRuns(e.text, {}),
          ],
        }),
      ];
    }
    case 'unknown':
      return [plainParagraph(ctx, textRuns(node.text, {}), { body: true })];
  }
}

function inline(content: InlineNode[]): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const n of content) {
    if (n.type === 'hardBreak') {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    const runs =
      n.type === 'unknown'
        ? textRuns(n.text, {})
        : textRuns(n.text, {
            bold: n.marks.some((m) => m.type === 'bold') || undefined,
            italics: n.marks.some((m) => m.type === 'italic') || undefined,
            strike: n.marks.some((m) => m.type === 'strike') || undefined,
            underline: n.marks.some((m) => m.type === 'underline' || m.type === 'link') ? {} : undefined,
            color: n.marks.some((m) => m.type === 'link') ? '0B4F9C' : undefined,
            ...(n.marks.some((m) => m.type === 'code')
              ? { font: font(mono), shading: { type: ShadingType.CLEAR, fill: 'F4F4F4', color: 'auto' } }
              : {}),
          });
    const link = n.type === 'text' ? n.marks.find((m) => m.type === 'link') : undefined;
    const href = link?.type === 'link' ? safeHref(link.href) : null;
    if (href !== null) {
      out.push(new ExternalHyperlink({ link: href, children: runs }));
    } else {
      out.push(...runs);
    }
  }
  return out;
}
