/**
 * The query grammar: free text plus `key:value` filters, values optionally quoted.
 *   hammer panda
 *   country:china sector:"oil and gas" since:2019
 * Keys are case-insensitive. A `word:word` whose key is not a filter stays free text, since
 * actor names may hold colons.
 */

export const FILTER_KEYS = [
  'country',
  'sector',
  'target',
  'tool',
  'technique',
  'tactic',
  'motivation',
  'sponsor',
  'since',
  'until',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface Filter {
  key: FilterKey;
  value: string;
}

export interface ParsedQuery {
  text: string;
  filters: Filter[];
  /** Problems worth telling the user, e.g. `since:` without a year. */
  errors: string[];
}

/** Queries longer than this are cut: nobody types a 500-character actor name. */
export const MAX_QUERY_LENGTH = 500;

const KEY_SET = new Set<string>(FILTER_KEYS);
/** A comma may follow a filter ("tool:plugx, motivation:espionage", as the help writes it). */
const TOKEN_RE = /([A-Za-z]+):(?:"([^"]*)"?|([^\s,]*)),?|"([^"]*)"?|(\S+)/g;
const DATE_RE = /^(\d{4})(?:-(\d{1,2}))?$/;

export function parseQuery(input: string): ParsedQuery {
  const text: string[] = [];
  const filters: Filter[] = [];
  const errors: string[] = [];
  const source = input.slice(0, MAX_QUERY_LENGTH);
  for (const m of source.matchAll(TOKEN_RE)) {
    const key = m[1]?.toLowerCase();
    if (key !== undefined && KEY_SET.has(key)) {
      const value = (m[2] ?? m[3] ?? '').trim();
      if (!value) {
        errors.push(`"${key}:" needs a value, e.g. ${key}:${exampleValue(key as FilterKey)}`);
        continue;
      }
      if ((key === 'since' || key === 'until') && !filterDateRange(value)) {
        errors.push(
          `"${key}:" takes a year or year-month (month 1-12), e.g. ${key}:2019 or ${key}:2019-06; "${value.slice(0, 40)}" is not one`,
        );
        continue;
      }
      filters.push({ key: key as FilterKey, value });
    } else if (m[4] !== undefined) {
      text.push(m[4]);
    } else if (!/^,+$/.test(m[0])) {
      text.push(m[0]);
    }
  }
  const window = dateWindowError(filters);
  if (window) errors.push(window);
  return { text: text.join(' ').trim(), filters, errors };
}

/** "until:2010 since:2020" can match nothing: say so rather than answer "no actor matches". */
function dateWindowError(filters: Filter[]): string | undefined {
  let since: { value: string; from: number } | undefined;
  let until: { value: string; to: number } | undefined;
  for (const f of filters) {
    const range = filterDateRange(f.value);
    if (!range) continue;
    if (f.key === 'since' && (!since || range[0] > since.from))
      since = { value: f.value, from: range[0] };
    if (f.key === 'until' && (!until || range[1] < until.to))
      until = { value: f.value, to: range[1] };
  }
  if (!since || !until || since.from <= until.to) return undefined;
  return `since:${since.value} is after until:${until.value}, so no operation can match: swap them, e.g. since:${until.value} until:${since.value}`;
}

function exampleValue(key: FilterKey): string {
  switch (key) {
    case 'country':
    case 'target':
      return 'china';
    case 'sector':
      return '"oil and gas"';
    case 'tool':
      return 'plugx';
    case 'technique':
      return 'T1566';
    case 'tactic':
      return 'initial-access';
    case 'motivation':
      return 'espionage';
    case 'sponsor':
      return 'state';
    case 'since':
    case 'until':
      return '2019';
  }
}

/** A month index (year * 12 + month - 1) range for a filter value: "2019" spans the year. */
export function filterDateRange(value: string): [number, number] | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[2] === undefined) return [year * 12, year * 12 + 11];
  const month = Number(m[2]);
  // "2019-13" is a typo, not December: refuse it rather than guess.
  if (month < 1 || month > 12) return undefined;
  return [year * 12 + month - 1, year * 12 + month - 1];
}

/** Parts of a year that cards write after it: "2017 Late", "2020 Q3", "2019 H1". */
const SEASONS: [RegExp, number, number][] = [
  [/\bearly\b/i, 0, 5],
  [/\bmid(?:dle)?\b/i, 3, 8],
  [/\blate\b/i, 6, 11],
  [/\bq1\b/i, 0, 2],
  [/\bq2\b/i, 3, 5],
  [/\bq3\b/i, 6, 8],
  [/\bq4\b/i, 9, 11],
  [/\bh1\b/i, 0, 5],
  [/\bh2\b/i, 6, 11],
];

/** The ranges of the dates seen so far (a catalog repeats a few thousand dates). */
const dateRanges = new Map<string, DateRange | undefined>();
/** Cleared past this many dates: a bound, for whatever dates reloads bring over a long run. */
const DATE_RANGES_KEPT = 50_000;
const DATE_KEPT_LENGTH = 40;

export type DateRange = readonly [number, number];

/**
 * The span of an operation date as written, as month indexes: "2014-08" one month, "2012" the
 * year, "2017 Late" July to December, "2019/2020" both years. Undefined when it names no year.
 * Worked out once per date: reading every card's dates at start (the filter fields) parsed
 * 30,000 dates of a 10,000-card catalog twice over, 40 MB of garbage; the one range of a date
 * is shared by all cards that have it (read only).
 */
export function operationDateRange(date: string): DateRange | undefined {
  if (dateRanges.has(date)) return dateRanges.get(date);
  const range = rangeOf(date);
  if (date.length > DATE_KEPT_LENGTH) return range; // not a date as cards write them: not kept
  if (dateRanges.size >= DATE_RANGES_KEPT) dateRanges.clear();
  dateRanges.set(date, range && Object.freeze(range));
  return range;
}

function rangeOf(date: string): [number, number] | undefined {
  const years = [...date.matchAll(/\d{4}/g)].map((m) => Number(m[0]));
  if (years.length === 0) return undefined;
  const first = years[0] ?? 0;
  const last = years[years.length - 1] ?? first;
  const month = /^\d{4}-(\d{1,2})\b/.exec(date);
  if (month && years.length === 1) {
    const mi = Math.min(Math.max(Number(month[1]), 1), 12) - 1;
    return [first * 12 + mi, first * 12 + mi];
  }
  if (years.length === 1) {
    const season = SEASONS.find(([re]) => re.test(date));
    if (season) return [first * 12 + season[1], first * 12 + season[2]];
  }
  return [first * 12, last * 12 + 11];
}
