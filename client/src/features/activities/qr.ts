/**
 * A small QR code encoder (ISO/IEC 18004): byte mode, error correction level L, versions 1–10
 * (up to 271 bytes, enough for a sign-in link). Written here so the code on site needs no
 * package; the rules are the standard's: Reed–Solomon over GF(256) (polynomial 0x11D), the
 * function patterns, the zigzag placement and the mask chosen by the standard's penalty rules.
 */

/** Per version (index 1–10), level L: error-correction codewords per block and the blocks' data lengths. */
const levelL: ReadonlyArray<{ ec: number; blocks: number[] }> = [
  { ec: 0, blocks: [] },
  { ec: 7, blocks: [19] },
  { ec: 10, blocks: [34] },
  { ec: 15, blocks: [55] },
  { ec: 20, blocks: [80] },
  { ec: 26, blocks: [108] },
  { ec: 18, blocks: [68, 68] },
  { ec: 20, blocks: [78, 78] },
  { ec: 24, blocks: [97, 97] },
  { ec: 30, blocks: [116, 116] },
  { ec: 18, blocks: [68, 68, 69, 69] },
];

/** Centres of the alignment patterns, per version. */
const alignment: ReadonlyArray<number[]> = [
  [],
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
];

function gfMul(a: number, b: number): number {
  let product = 0;
  for (let bit = 7; bit >= 0; bit--) {
    product = ((product << 1) ^ ((product >>> 7) * 0x11d)) & 0xff;
    if ((b >>> bit) & 1) product ^= a;
  }
  return product;
}

/** The generator polynomial's coefficients (leading 1 dropped) for `degree` EC codewords. */
function generator(degree: number): number[] {
  const poly = new Array<number>(degree).fill(0);
  poly[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      poly[j] = gfMul(poly[j] as number, root) ^ (j + 1 < degree ? (poly[j + 1] as number) : 0);
    }
    root = gfMul(root, 2);
  }
  return poly;
}

function ecCodewords(data: number[], degree: number): number[] {
  const gen = generator(degree);
  const rem = new Array<number>(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ (rem.shift() as number);
    rem.push(0);
    for (let i = 0; i < degree; i++) rem[i] = (rem[i] as number) ^ gfMul(gen[i] as number, factor);
  }
  return rem;
}

/** The data and error-correction codewords of `bytes`, interleaved, for `version`. */
function codewords(bytes: Uint8Array, version: number): number[] {
  const { ec, blocks } = levelL[version] as { ec: number; blocks: number[] };
  const capacity = blocks.reduce((s, n) => s + n, 0);
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length));
  while (bits.length % 8 !== 0) bits.push(0);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((v, b) => (v << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);
  const split: number[][] = [];
  let at = 0;
  for (const n of blocks) {
    split.push(data.slice(at, at + n));
    at += n;
  }
  const ecs = split.map((block) => ecCodewords(block, ec));
  const out: number[] = [];
  const longest = Math.max(...blocks);
  for (let i = 0; i < longest; i++) for (const block of split) if (i < block.length) out.push(block[i] as number);
  for (let i = 0; i < ec; i++) for (const block of ecs) out.push(block[i] as number);
  return out;
}

const masks: ReadonlyArray<(x: number, y: number) => boolean> = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** Penalty of a finished matrix (runs of one colour, 2×2 blocks, dark/light balance). */
function penalty(m: boolean[][]): number {
  const size = m.length;
  let score = 0;
  for (let a = 0; a < size; a++) {
    for (const line of [(i: number) => m[a]?.[i], (i: number) => m[i]?.[a]]) {
      let run = 1;
      for (let i = 1; i <= size; i++) {
        if (i < size && line(i) === line(i - 1)) run++;
        else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
    }
  }
  for (let y = 0; y < size - 1; y++) {
    for (let x = 0; x < size - 1; x++) {
      const c = m[y]?.[x];
      if (c === m[y]?.[x + 1] && c === m[y + 1]?.[x] && c === m[y + 1]?.[x + 1]) score += 3;
    }
  }
  const dark = m.flat().filter(Boolean).length;
  score += Math.floor(Math.abs((dark * 20) / (size * size) - 10)) * 10;
  return score;
}

/** The modules of the QR code for `text` (true is dark), without the quiet zone. */
export function encodeQr(text: string): boolean[][] {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  const fits = (v: number) =>
    4 + (v < 10 ? 8 : 16) + bytes.length * 8 <=
    (levelL[v] as { blocks: number[] }).blocks.reduce((s, n) => s + n, 0) * 8;
  while (version <= 10 && !fits(version)) version++;
  if (version > 10) throw new RangeError('Text too long for a QR code of version 10.');
  const size = 17 + 4 * version;
  const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const fixed = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const set = (x: number, y: number, dark: boolean) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    (modules[y] as boolean[])[x] = dark;
    (fixed[y] as boolean[])[x] = true;
  };

  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(cx + dx, cy + dy, d !== 2 && d !== 4);
      }
    }
  }
  const centres = alignment[version] as number[];
  for (const cy of centres) {
    for (const cx of centres) {
      const nearFinder =
        (cx === 6 && cy === 6) || (cx === 6 && cy === centres.at(-1)) || (cx === centres.at(-1) && cy === 6);
      if (nearFinder) continue;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }
  const drawFormat = (mask: number) => {
    const data = (0b01 << 3) | mask; // level L
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i: number) => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) set(8, i, bit(i));
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
    set(8, size - 8, true);
  };
  drawFormat(0);
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }

  const words = codewords(bytes, version);
  let n = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const y = upward ? size - 1 - v : v;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if ((fixed[y] as boolean[])[x]) continue;
        const word = words[n >>> 3];
        (modules[y] as boolean[])[x] = word !== undefined && ((word >>> (7 - (n & 7))) & 1) === 1;
        n++;
      }
    }
  }

  const applyMask = (mask: number) => {
    const test = masks[mask] as (x: number, y: number) => boolean;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (!(fixed[y] as boolean[])[x] && test(x, y)) (modules[y] as boolean[])[x] = !(modules[y] as boolean[])[x];
      }
    }
  };
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    applyMask(mask);
    drawFormat(mask);
    const score = penalty(modules);
    if (score < bestScore) {
      best = mask;
      bestScore = score;
    }
    applyMask(mask); // XOR again: back to unmasked
  }
  applyMask(best);
  drawFormat(best);
  return modules;
}
