/** Small timing helpers shared by the benchmarks. */

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** Time each call of `fn` (in microseconds), after a warm-up; returns sorted samples. */
export function sample(
  fn: (i: number) => unknown,
  count: number,
  warmup = Math.min(count, 1000),
): number[] {
  for (let i = 0; i < warmup; i++) fn(i);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  return out.sort((a, b) => a - b);
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

export function summary(label: string, sortedMicros: number[]): string {
  return `${label}: median ${fmt(percentile(sortedMicros, 50), 2)} µs, p99 ${fmt(percentile(sortedMicros, 99), 2)} µs (n=${sortedMicros.length})`;
}

export function rssMB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}
