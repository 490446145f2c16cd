import { inflateRawSync } from 'node:zlib';

/** One file in a zip, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; nothing else is read. */
  method: number;
  compressedSize: number;
  /** As declared: `readEntry` enforces it while inflating. */
  uncompressedSize: number;
  dataStart: number;
}

/** Why a zip is not read: more than the caller allows, or not a zip we read at all. */
export class ZipRefused extends Error {
  constructor(
    readonly reason: 'tooLarge' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The entries of a zip held in memory, from its central directory alone: nothing is inflated,
 * so a caller can sum the declared sizes before any parser touches the file. Zip64, more than
 * `maxEntries` entries, and offsets outside the file are refused.
 */
export function zipEntries(buf: Buffer, maxEntries: number): ZipEntry[] {
  const malformed = (what: string) => new ZipRefused('malformed', `not a readable zip: ${what}`);
  // The end record is in the last 22 bytes plus at most a 65,535-byte comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i -= 1) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw malformed('zip64');
  if (count > maxEntries) throw new ZipRefused('tooLarge', `more than ${maxEntries} files in the zip`);
  if (cdOffset + cdSize > eocd) throw malformed('central directory out of range');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw malformed('bad central directory entry');
    const nameLength = buf.readUInt16LE(p + 28);
    const localOffset = buf.readUInt32LE(p + 42);
    const entry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      dataStart: 0,
    };
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) throw malformed('bad local header');
    entry.dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (entry.dataStart + entry.compressedSize > buf.length) throw malformed('entry out of range');
    entries.push(entry);
  }
  return entries;
}

/**
 * An entry's bytes, inflating no more than `max` bytes (zlib stops there): a size the directory
 * understates cannot make this, or the parser after it, inflate more than the caller allowed.
 */
export function readEntry(buf: Buffer, entry: ZipEntry, max: number): Buffer {
  const data = buf.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > max) throw new ZipRefused('tooLarge', `${entry.name} is larger than allowed`);
    return data;
  }
  if (entry.method !== 8) throw new ZipRefused('malformed', `not a readable zip: compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
  } catch (err) {
    if (err instanceof RangeError) throw new ZipRefused('tooLarge', `${entry.name} is larger than allowed`);
    throw new ZipRefused('malformed', `not a readable zip: ${entry.name} does not inflate`);
  }
}
