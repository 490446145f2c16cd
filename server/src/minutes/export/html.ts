import { eventParts, inlineText, isChinese, type Prepared, prepare, safeHref, shiftLevel } from './common';
import type { BlockNode, ExportInput, InlineNode, Mark } from './types';

const serif = '"Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC",serif';
const sans = '"Noto Sans CJK SC","Source Han Sans SC","Noto Serif CJK SC",sans-serif';
const mono = '"Noto Sans Mono CJK SC","DejaVu Sans Mono",monospace';

/**
 * A complete, self-contained HTML page of the minutes, laid out for printing on A4 (page numbers in the
 * bottom margin). Every piece of text is escaped; a Content-Security-Policy forbids scripts and any
 * fetch, so the page is inert even in a browser.
 */
export function toHtml(input: ExportInput): string {
  const p = prepare(input);
  const { labels } = p;
  const title = esc(p.title);
  const zh = isChinese(labels);

  const meta =
    p.meta.length === 0
      ? ''
      : `<dl class="meta">${p.meta
          .map((m) => `<div><dt>${esc(m.label)}${esc(labels.colon)}</dt><dd>${esc(m.value)}</dd></div>`)
          .join('')}</dl>`;
  const lead = [
    p.number === null ? '' : `<p class="doc-number">${esc(p.number)}</p>`,
    meta,
    p.attendanceSummary === '' ? '' : `<p class="summary">${esc(p.attendanceSummary)}</p>`,
    p.version === '' ? '' : `<p class="version">${esc(p.version)}</p>`,
  ]
    .filter((x) => x !== '')
    .join('\n');

  const decisions =
    p.decisions.length === 0
      ? `<p class="none">${esc(labels.noDecisions)}</p>`
      : `<ol>\n${p.decisions.map((d) => `<li>${lines(d)}</li>`).join('\n')}\n</ol>`;
  const signatures = p.signatures.map((line) => `<p>${esc(line)}</p>`).join('\n');

  const body = blocks(p.body, 2, p);

  return `<!DOCTYPE html>
<html lang="${esc(labels.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${css(zh)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
${lead}
</header>
<section class="minutes">
<h2>${esc(labels.content)}</h2>
${body === '' ? `<p class="none">${esc(labels.emptyMinutes)}</p>` : body}
</section>
<section class="decisions">
<h2>${esc(labels.decisions)}</h2>
${decisions}
</section>
<section class="signatures">
${signatures}
</section>
</body>
</html>
`;
}

function css(zh: boolean): string {
  return `
@page {
  size: A4;
  margin: 25mm 20mm 22mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-family: ${serif}; font-size: 9pt; color: #555; }
}
* { box-sizing: border-box; }
html { font-family: ${serif}; font-size: 12pt; line-height: 1.8; color: #111; background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 170mm; }
@media screen { body { padding: 16mm 0; } }
h1, h2, h3, h4, h5, h6 { line-height: 1.4; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 6mm; letter-spacing: ${zh ? '0.05em' : 'normal'}; }
h2, h3, h4, h5, h6 { font-family: ${sans}; }
h2 { font-size: 14pt; margin: 8mm 0 3mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #333; }
h3 { font-size: 13pt; margin: 5mm 0 2mm; }
h4 { font-size: 12pt; margin: 4mm 0 2mm; }
h5, h6 { font-size: 12pt; font-weight: normal; margin: 3mm 0 1mm; }
p { margin: 0 0 2mm; text-align: justify; text-justify: inter-character; overflow-wrap: anywhere; }
${zh ? '.minutes > p, .agenda-item > p { text-indent: 2em; }' : ''}
.doc-number { text-align: center; margin: 0 0 5mm; }
dl.meta { margin: 0 0 2mm; }
dl.meta div { display: flex; }
dl.meta dt { flex: none; font-weight: bold; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.version { font-size: 10pt; color: #555; }
.signatures { margin-top: 14mm; break-inside: avoid; page-break-inside: avoid; }
.signatures p { text-align: right; margin: 0 0 8mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; font-size: 11pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #444; padding: 1.5mm 2.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; font-family: ${sans}; font-weight: bold; }
.summary, .none { color: #333; }
ul, ol { margin: 0 0 2mm; padding-left: 2em; }
li > p { margin: 0; }
blockquote { margin: 0 0 2mm; padding: 0 0 0 4mm; border-left: 2pt solid #999; color: #333; }
pre { font-family: ${mono}; font-size: 10pt; line-height: 1.5; background: #f4f4f4; padding: 2mm 3mm;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 2mm; }
code { font-family: ${mono}; font-size: 0.9em; background: #f4f4f4; padding: 0 0.2em; }
pre code { background: none; padding: 0; font-size: inherit; }
hr { border: none; border-top: 0.75pt solid #999; margin: 4mm 0; }
a { color: #0b4f9c; text-decoration: underline; }
.room-event { margin: 0 0 2mm; padding: 1mm 3mm; border-left: 2pt solid #b22; background: #faf6f4;
  break-inside: avoid; page-break-inside: avoid; }
.room-event .kind { font-family: ${sans}; font-weight: bold; }
.agenda-item { margin: 0 0 2mm; }
`;
}

function blocks(nodes: BlockNode[], offset: number, p: Prepared): string {
  return nodes
    .map((n) => block(n, offset, p))
    .filter((s) => s !== '')
    .join('\n');
}

function block(node: BlockNode, offset: number, p: Prepared): string {
  switch (node.type) {
    case 'heading': {
      const h = `h${shiftLevel(node.level, offset)}`;
      return `<${h}>${inline(node.content)}</${h}>`;
    }
    case 'paragraph':
      // An empty paragraph is the editor's blank line; print nothing for it, like the other formats.
      return inlineText(node.content).trim() === '' ? '' : `<p>${inline(node.content)}</p>`;
    case 'bulletList':
    case 'orderedList': {
      const items = node.content.map((item) => `<li>${blocks(item.content, offset, p)}</li>`).join('\n');
      if (node.type === 'bulletList') return `<ul>\n${items}\n</ul>`;
      return `<ol${node.start === 1 ? '' : ` start="${node.start}"`}>\n${items}\n</ol>`;
    }
    case 'blockquote':
      return `<blockquote>\n${blocks(node.content, offset, p)}\n</blockquote>`;
    case 'codeBlock': {
      const lang = node.language ? ` class="language-${esc(node.language)}"` : '';
      return `<pre><code${lang}>${esc(node.text)}</code></pre>`;
    }
    case 'horizontalRule':
      return '<hr>';
    case 'agendaSection': {
      const h = `h${shiftLevel(1, offset)}`;
      const title = node.title.trim() === '' ? p.labels.untitledAgendaItem : node.title;
      const body = blocks(node.content, offset + 1, p);
      return `<section class="agenda-item" data-item-id="${esc(node.itemId)}">\n<${h}>${lines(title)}</${h}>${body === '' ? '' : `\n${body}`}\n</section>`;
    }
    case 'roomEvent': {
      const e = eventParts(node, p.labels);
      return `<div class="room-event room-event-${node.kind}" data-ref-id="${esc(node.refId)}"><span class="kind">${esc(
        e.label,
      )}</span>${esc(p.labels.colon)}${lines(e.text)}</div>`;
    }
    case 'unknown':
      return `<p class="unknown-node" data-node="${esc(node.name)}">${lines(node.text)}</p>`;
  }
}

function inline(content: InlineNode[]): string {
  return content.map(inlineNode).join('');
}

function inlineNode(n: InlineNode): string {
  switch (n.type) {
    case 'hardBreak':
      return '<br>';
    case 'unknown':
      return `<span class="unknown-node" data-node="${esc(n.name)}">${lines(n.text)}</span>`;
    case 'text':
      return n.marks.reduceRight((html, m) => wrap(html, m), lines(n.text));
  }
}

function wrap(html: string, mark: Mark): string {
  switch (mark.type) {
    case 'bold':
      return `<strong>${html}</strong>`;
    case 'italic':
      return `<em>${html}</em>`;
    case 'underline':
      return `<u>${html}</u>`;
    case 'strike':
      return `<s>${html}</s>`;
    case 'code':
      return `<code>${html}</code>`;
    case 'link': {
      const href = safeHref(mark.href);
      return href === null ? html : `<a href="${esc(href)}">${html}</a>`;
    }
  }
}

/** Escaped text with its line breaks kept. */
function lines(text: string): string {
  return text.split('\n').map(esc).join('<br>');
}

/** Escapes text for an element's content or a quoted attribute value. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}
