import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { checkUploadedFiles, cleanFileName, type UploadedFile } from './uploads';

const file = (originalname: string, mimetype: string, size: number): UploadedFile => ({
  originalname,
  mimetype,
  size,
  buffer: Buffer.alloc(0),
});
const rules = {
  maxFiles: 2,
  maxFileBytes: 10,
  allowed: (type: string) => type === 'application/pdf',
  tooMany: 'At most 2 files.',
};
const codeOf = (run: () => void): [string, string] | null => {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof AppError) return [err.code, err.message];
    throw err;
  }
};

describe('uploads shared by proposals, 社情民意 and tracking', () => {
  it('refuses too many files and too large ones with 413, a type we do not serve with 400', () => {
    expect(codeOf(() => checkUploadedFiles([file('a.pdf', 'application/pdf', 10)], rules))).toBeNull();
    expect(
      codeOf(() =>
        checkUploadedFiles(
          [1, 2, 3].map((n) => file(`${n}.pdf`, 'application/pdf', 1)),
          rules,
        ),
      ),
    ).toEqual(['PAYLOAD_TOO_LARGE', 'At most 2 files.']);
    expect(codeOf(() => checkUploadedFiles([file('big.pdf', 'application/pdf', 11)], rules))?.[0]).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect(codeOf(() => checkUploadedFiles([file('x.html', 'text/html', 1)], rules))).toEqual([
      'BAD_REQUEST',
      'x.html: files of type text/html are not accepted.',
    ]);
  });

  it('keeps a file name without its path or control characters, bounded, never empty', () => {
    expect(cleanFileName('C:\\Users\\me\\调研报告.pdf', 50)).toBe('调研报告.pdf');
    expect(cleanFileName('../../etc/passwd', 50)).toBe('passwd');
    expect(cleanFileName('a\u0000b\u001fc.txt', 50)).toBe('abc.txt');
    expect(cleanFileName('   ', 50)).toBe('attachment');
    expect(cleanFileName('abcdef.pdf', 4)).toBe('abcd');
  });
});
