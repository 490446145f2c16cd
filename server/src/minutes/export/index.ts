export { toDocx } from './docx';
export { fromYDoc, MINUTES_FRAGMENT } from './fromYDoc';
export { toHtml } from './html';
export { enLabels, resolveLabels, zhLabels } from './labels';
export { bodyToMarkdown, toMarkdown } from './markdown';
export { type PdfOptions, toPdf } from './pdf';
export type * from './types';
export { roomEventKinds } from './types';
