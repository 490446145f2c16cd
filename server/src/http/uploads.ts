import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../errors';

/** A file received in a multipart body (multer's memory storage gives these fields). */
export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** One kind of upload's caps: the files, and the text fields beside them. */
export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  fields: number;
  fieldBytes: number;
}

/** multer's codes that mean "too large or too many" (413), not "malformed" (400). */
const tooLarge: readonly string[] = [
  'LIMIT_FILE_SIZE',
  'LIMIT_FILE_COUNT',
  'LIMIT_UNEXPECTED_FILE',
  'LIMIT_FIELD_VALUE',
];

/**
 * Multipart parsing of files under `files`, kept in memory (they go to MongoDB), with the caps
 * given. multer's own errors become our codes: too large or too many is 413, a file in another
 * field or an unreadable body 400. With `onlyMultipart`, a body of another type passes untouched
 * (a route that takes JSON too).
 */
export function fileUpload(limits: UploadLimits, opts: { onlyMultipart?: boolean } = {}): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // Browsers and Node send UTF-8 file names (e.g. 调研报告.pdf); busboy's default is Latin-1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: limits.maxFileBytes,
      files: limits.maxFiles,
      fields: limits.fields,
      fieldSize: limits.fieldBytes,
    },
  }).array('files', limits.maxFiles);
  return (req, res, next) => {
    if (opts.onlyMultipart && !req.is('multipart/form-data')) return next();
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_UNEXPECTED_FILE' && err.field !== 'files') {
          return next(new AppError('BAD_REQUEST', `Files go in the "files" field, not "${err.field}".`));
        }
        return next(
          tooLarge.includes(err.code)
            ? new AppError(
                'PAYLOAD_TOO_LARGE',
                `At most ${limits.maxFiles} files of ${limits.maxFileBytes} bytes each.`,
              )
            : new AppError('BAD_REQUEST', err.message),
        );
      }
      next(new AppError('BAD_REQUEST', 'The upload could not be read.'));
    });
  };
}

/** The files `fileUpload` read (none for a body that was not multipart). */
export const uploadedFiles = (req: Request): UploadedFile[] => (Array.isArray(req.files) ? req.files : []);

/** Refuses files that are too many, too large or of a kind we do not serve. */
export function checkUploadedFiles(
  files: UploadedFile[],
  rules: { maxFiles: number; maxFileBytes: number; allowed: (contentType: string) => boolean; tooMany: string },
): void {
  if (files.length > rules.maxFiles) throw new AppError('PAYLOAD_TOO_LARGE', rules.tooMany);
  for (const f of files) {
    if (f.size > rules.maxFileBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `${f.originalname} is larger than the limit.`);
    }
    if (!rules.allowed(f.mimetype)) {
      throw new AppError('BAD_REQUEST', `${f.originalname}: files of type ${f.mimetype} are not accepted.`);
    }
  }
}

/** A file name safe to store and to send back: no path, no control characters, at most `maxLength`. */
export function cleanFileName(name: string, maxLength: number): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'attachment').slice(0, maxLength);
}
