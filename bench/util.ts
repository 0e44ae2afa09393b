/** Small timing helpers shared by the benchmarks. */
import { readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/**
 * Time each of `count` calls of `fn` (in microseconds) in `passes` passes over the same items,
 * after a warm-up. On a shared machine a burst of other work slows a run of consecutive calls
 * in one pass; an item's median over the passes leaves such bursts out without picking the
 * luckiest pass. Returns those medians (sorted) and each pass's own p99.
 */
export function samplePasses(
  fn: (i: number) => unknown,
  count: number,
  passes = 5,
  warmup = Math.min(count, 5000),
): { medians: number[]; passP99: number[] } {
  for (let i = 0; i < warmup; i++) fn(i % count);
  const times = Array.from({ length: passes }, () => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      fn(i);
      out[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    return out;
  });
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const medians = Array.from({ length: count }, (_, i) => mid(times.map((p) => p[i]!))).sort(
    (a, b) => a - b,
  );
  const passP99 = times.map((p) =>
    percentile(
      [...p].sort((a, b) => a - b),
      99,
    ),
  );
  return { medians, passP99 };
}

/** `summary` of samplePasses' medians, with each pass's own p99. */
export function passesSummary(label: string, r: { medians: number[]; passP99: number[] }): string {
  return `${summary(`${label} (each: median of ${r.passP99.length} passes)`, r.medians)}; p99 of each pass on its own: ${r.passP99.map((x) => fmt(x, 2)).join(', ')} µs`;
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

export function summary(label: string, sortedMicros: number[]): string {
  return `${label}: median ${fmt(percentile(sortedMicros, 50), 2)} µs, p99 ${fmt(percentile(sortedMicros, 99), 2)} µs (n=${sortedMicros.length})`;
}

/**
 * The node options `npm start` runs the bot with (package.json's start script), so that a
 * benchmark measuring the bot's own process runs it the same way.
 */
export function startScriptNodeFlags(packageJson: string): string[] {
  const scripts = (
    JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: Record<string, string> }
  ).scripts;
  const m = /^node((?:\s+--\S+)*)\s+bin\/aptcard\.js\b/.exec(scripts?.start ?? '');
  return m?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
}

/** mulberry32: a small deterministic PRNG, so every run draws the same text. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
