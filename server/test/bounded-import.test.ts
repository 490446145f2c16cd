import { limits } from '@yitang/shared';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A minimal workbook whose one sheet's XML is `sheetData` (plus `tail` after it). */
async function workbook(sheetData: string, tail = ''): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '</Relationships>',
  );
  zip.file(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '</Relationships>',
  );
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData>${tail}</worksheet>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

async function upload(file: Buffer) {
  const res = await fetch(`${server.url}/api/duty/import?dryRun=1`, {
    method: 'POST',
    headers: { cookie: await signIn(server.url, demo.staffId), 'content-type': xlsxType },
    body: new Uint8Array(file),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? '' };
}

/** Sets every declared uncompressed size of `name` (local header and central directory) to `size`. */
function understate(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const nameBytes = Buffer.from(name);
  for (let i = 0; i + 46 < out.length; i += 1) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes)) {
      out.writeUInt32LE(size, i + 22);
    }
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + nameBytes.length).equals(nameBytes)) {
      out.writeUInt32LE(size, i + 24);
    }
  }
  return out;
}

describe('duty import: bounded before parsing', () => {
  it('refuses a small sheet that names a far-away cell, before the parser runs', async () => {
    const far = 60_000;
    expect(far).toBeGreaterThan(limits.importMaxSheetRows);
    const file = await workbook(`<row r="1">${cell('A1', '委员')}</row><row r="${far}">${cell(`CV${far}`, 'x')}</row>`);
    expect(file.length).toBeLessThan(2048);
    const res = await upload(file);
    expect(res.status).toBe(413);
    expect(res.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.message).toContain(`${limits.importMaxSheetRows} rows`);
  });

  it('refuses a zip bomb from the sizes in its central directory', async () => {
    const padding = ' '.repeat(limits.importMaxUncompressedBytes + 1024 * 1024);
    const file = await workbook(`<row r="1">${cell('A1', '委员')}</row>`, padding);
    expect(file.length).toBeLessThan(256 * 1024);
    const res = await upload(file);
    expect(res.status).toBe(413);
    expect(res.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a zip whose directory understates what a file inflates to', async () => {
    const padding = ' '.repeat(limits.importMaxUncompressedBytes + 1024 * 1024);
    const honest = await workbook(`<row r="1">${cell('A1', '委员')}</row>`, padding);
    const res = await upload(understate(honest, 'xl/worksheets/sheet1.xml', 4096));
    expect(res.status).toBe(413);
    expect(res.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('still reads an ordinary workbook (its problems are about its content, not its size)', async () => {
    const file = await workbook(`<row r="1">${cell('A1', '委员')}</row><row r="2">${cell('A2', '唐丽')}</row>`);
    const res = await upload(file);
    expect(res.status).toBe(400);
    expect(res.code).toBe('BAD_REQUEST');
    expect(res.message).toContain('problem');
  });
});
