/**
 * The activity timeline: one bar per year for the operations reported that year, with
 * counter-operations (arrests, takedowns, indictments) marked as diamonds above their year.
 */
import { escapeXml } from './svg.js';

export const TIMELINE_COLORS = {
  bar: '#2e6f9e',
  counter: '#d1495b',
  axis: '#6b7280',
  text: '#374151',
} as const;

export const TIMELINE_WIDTH = 960;
export const TIMELINE_HEIGHT = 260;
const PAD = { left: 40, right: 16, top: 28, bottom: 36 };

export interface TimelineInput {
  /** Dates as the card writes them: "2014-08", "2017 Late", "2019/2020", "". */
  operations: readonly { date: string }[];
  counterOperations: readonly { date: string }[];
}

export interface Bar {
  year: number;
  count: number;
  counter: number;
  /** The bar's rectangle in the SVG, for tests and image maps. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TimelinePicture {
  svg: string;
  bars: Bar[];
  /** Entries whose date names no year. */
  undated: number;
}

/** The year a date starts in: "2019/2020" and "2019-2020" count for 2019, "2017 Late" for 2017. */
export function startYear(date: string): number | undefined {
  const m = /(?:^|\D)((?:19|20)\d\d)(?!\d)/.exec(date);
  return m ? Number(m[1]) : undefined;
}

export function timelineSvg(input: TimelineInput): TimelinePicture {
  const ops = new Map<number, number>();
  const counters = new Map<number, number>();
  let undated = 0;
  for (const [list, into] of [
    [input.operations, ops],
    [input.counterOperations, counters],
  ] as const) {
    for (const entry of list) {
      const year = startYear(entry.date);
      if (year === undefined) undated++;
      else into.set(year, (into.get(year) ?? 0) + 1);
    }
  }
  const years = [...ops.keys(), ...counters.keys()];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${TIMELINE_HEIGHT}" viewBox="0 0 ${TIMELINE_WIDTH} ${TIMELINE_HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  const bars: Bar[] = [];
  if (years.length === 0) {
    parts.push(
      `<text x="${TIMELINE_WIDTH / 2}" y="${TIMELINE_HEIGHT / 2}" text-anchor="middle" fill="${TIMELINE_COLORS.text}">${escapeXml('No dated operations')}</text>`,
    );
    return { svg: `${parts.join('')}</svg>`, bars, undated };
  }
  const first = Math.min(...years);
  const last = Math.max(...years);
  const span = last - first + 1;
  const maxCount = Math.max(1, ...ops.values());
  const plotW = TIMELINE_WIDTH - PAD.left - PAD.right;
  const plotH = TIMELINE_HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / span;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const baseY = PAD.top + plotH;
  parts.push(
    `<line x1="${PAD.left}" y1="${baseY}" x2="${TIMELINE_WIDTH - PAD.right}" y2="${baseY}" stroke="${TIMELINE_COLORS.axis}"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" fill="${TIMELINE_COLORS.text}">${maxCount}</text>`,
  );
  // Label every year when they fit, else every 2nd, 5th or 10th.
  const step = [1, 2, 5, 10].find((s) => slot * s >= 34) ?? 20;
  for (let year = first; year <= last; year++) {
    const cx = PAD.left + slot * (year - first) + slot / 2;
    const count = ops.get(year) ?? 0;
    const counter = counters.get(year) ?? 0;
    if (count > 0) {
      const height = (count / maxCount) * (plotH - 14);
      const bar = {
        year,
        count,
        counter,
        x: cx - barW / 2,
        y: baseY - height,
        width: barW,
        height,
      };
      bars.push(bar);
      parts.push(
        `<rect x="${bar.x.toFixed(1)}" y="${bar.y.toFixed(1)}" width="${barW.toFixed(1)}" height="${height.toFixed(1)}" fill="${TIMELINE_COLORS.bar}"/>`,
      );
    } else if (counter > 0) {
      bars.push({ year, count, counter, x: cx - barW / 2, y: baseY, width: barW, height: 0 });
    }
    if (counter > 0) {
      const top = baseY - ((count / maxCount) * (plotH - 14) || 0) - 10;
      parts.push(
        `<path d="M${cx.toFixed(1)} ${(top - 6).toFixed(1)} l6 6 l-6 6 l-6 -6 z" fill="${TIMELINE_COLORS.counter}"/>`,
      );
    }
    if ((year - first) % step === 0 || year === last) {
      parts.push(
        `<text x="${cx.toFixed(1)}" y="${baseY + 18}" text-anchor="middle" fill="${TIMELINE_COLORS.text}">${year}</text>`,
      );
    }
  }
  parts.push(
    `<text x="${PAD.left}" y="16" fill="${TIMELINE_COLORS.text}">${escapeXml('Operations per year')}</text>`,
    `<path d="M${TIMELINE_WIDTH - 190} 10 l5 5 l-5 5 l-5 -5 z" fill="${TIMELINE_COLORS.counter}"/>`,
    `<text x="${TIMELINE_WIDTH - 180}" y="19" fill="${TIMELINE_COLORS.text}">${escapeXml('counter-operation')}</text>`,
    '</svg>',
  );
  return { svg: parts.join(''), bars, undated };
}
