import { describe, expect, it } from 'vitest';
import { encodeQr } from './qr';

const draw = (m: boolean[][]) => m.map((row) => row.map((dark) => (dark ? '#' : '.')).join(''));

describe('QR encoder', () => {
  it('encodes HELLO as the version-1 symbol an independent decoder (OpenCV) read back', () => {
    expect(draw(encodeQr('HELLO'))).toEqual([
      '#######..#.##.#######',
      '#.....#..###..#.....#',
      '#.###.#.##.##.#.###.#',
      '#.###.#..#.#..#.###.#',
      '#.###.#...#.#.#.###.#',
      '#.....#.....#.#.....#',
      '#######.#.#.#.#######',
      '........##.##........',
      '###.########.##...#..',
      '...#....#.....#....#.',
      '#.#...#...#.#...#####',
      '##..#...#.#...#....#.',
      '#.#..##..##.#.#.#.#..',
      '........##.#.#.#..##.',
      '#######.#..#.###..###',
      '#.....#.######.##....',
      '#.###.#.#..#.###..###',
      '#.###.#...#...##..##.',
      '#.###.#.###.#...#.#.#',
      '#.....#.##....#.#..#.',
      '#######.##..#.##..###',
    ]);
  });

  it('grows the version with the text: a sign-in link is version 5, a long one 9 (with version info)', () => {
    const link = 'http://127.0.0.1:5173/activities/act-f31e761d-8a3f-4d49-9d22-798898c2d284/sign-in?code=123456';
    expect(encodeQr(link)).toHaveLength(37);
    expect(encodeQr(`${link}&x=${'a'.repeat(120)}`)).toHaveLength(53);
    expect(() => encodeQr('a'.repeat(300))).toThrow(RangeError);
  });

  it('has the three finder patterns and the timing lines', () => {
    const m = draw(encodeQr('议堂签到'));
    const size = m.length;
    for (const [x, y] of [
      [0, 0],
      [size - 7, 0],
      [0, size - 7],
    ] as const) {
      expect(m.slice(y, y + 7).map((r) => r.slice(x, x + 7))).toEqual([
        '#######',
        '#.....#',
        '#.###.#',
        '#.###.#',
        '#.###.#',
        '#.....#',
        '#######',
      ]);
    }
    expect(m[6]?.slice(8, size - 8)).toMatch(/^#(\.#)*$/);
  });
});
