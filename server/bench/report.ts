/** One benchmark figure: our path beside a baseline measured in the same run. */
export interface Figure {
  scenario: string;
  metric: string;
  unit: string;
  ours: number;
  baseline: number;
  /** ours / baseline; lower is better. */
  ratio: number;
  /** The ratio we must stay under. */
  target: number;
}

/** Prints one JSON line per figure (the format docs/performance.md collects). */
export function report(f: Omit<Figure, 'ratio'> & { ratio?: number }): Figure {
  const ratio = f.ratio ?? (f.baseline === 0 ? Number.POSITIVE_INFINITY : f.ours / f.baseline);
  const figure: Figure = { ...f, ratio: round(ratio) };
  console.log(JSON.stringify({ ...figure, ours: round(figure.ours), baseline: round(figure.baseline) }));
  return figure;
}

export const round = (n: number) => Math.round(n * 1000) / 1000;

/** The median of repeated timings, in milliseconds. */
export async function medianMs(runs: number, fn: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}
