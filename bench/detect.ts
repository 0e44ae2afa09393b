/**
 * Enrichment scanner benchmarks (issue 3): throughput against a big-alternation regex and a
 * plain per-character loop, per-message latency, build time, and false alarms per MB of
 * ordinary English text. Every ratio is measured in this same run.
 *
 * Texts (all generated here, deterministic, nothing downloaded):
 *  - chat-like: incident-channel messages of 30-300 characters made of word-list words with
 *    capitalised sentence starts, IOCs (IPs, hashes, domains, paths), URLs, Slack mention
 *    tokens, emoji codes, inline code, and an actor alias (as the card writes it) in about one
 *    message in eight;
 *  - English by counts: chat-like lines of dictionary words drawn by their SUBTLEXus counts
 *    (bench/labelled.ts), the way English uses them, in paragraphs, 100 MB streamed: every hit
 *    is a false alarm (the target is read on this text, beside what the counts predict);
 *  - English, uniform: sentences of 5-18 words drawn uniformly from the `word-list` package
 *    (274k words, "hafnium" as often as "the"), lower case except the capitalised first word of
 *    each sentence, in paragraphs. Not English usage: a stress text for rare words, which the
 *    risk policy lets fire in lower case since issue 14, so its figure is printed, not targeted;
 *  - the labelled set (bench/labelled.ts): precision and recall, at the chosen thresholds and
 *    at others around them, and every miss and false alarm with the detector's verdict on it;
 *  - real prose: the README files that ship in node_modules (English technical prose with
 *    code and URLs). Not guaranteed actor-free (a README may say "Mercury"), so its hits are
 *    listed for a reader to judge.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wordListPath from 'word-list';
import { allNames, type LoadedCard } from '../src/cards/model.js';
import { loadCatalog } from '../src/catalog/load.js';
import { Detector } from '../src/detect/detector.js';
import { englishFrequencies } from '../src/detect/frequency.js';
import {
  COMMON_COUNT,
  DEFAULT_THRESHOLDS,
  PHRASE_COMMON_COUNT,
  PREFIX_COMMON_COUNT_BEFORE,
} from '../src/detect/risk.js';
import { englishWords } from '../src/detect/words.js';
import { englishLineStream, labelledSet, score, verdicts } from './labelled.js';
import { fmt, passesSummary, percentile, rng, samplePasses } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const WARMUP_ROUNDS = 6;
const TIMED_ROUNDS = 9;
/** English by counts for the false-alarm target (see where it is generated for why 100 MB). */
const BY_COUNTS_BYTES = 100_000_000;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const mb = (n: number) => n / 1e6;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
}

/** Chat-like incident-channel messages. */
function chatMessages(
  words: readonly string[],
  aliases: readonly string[],
  count: number,
  seed: number,
  length?: number,
): string[] {
  const r = rng(seed);
  const shortWords = words.filter((w) => w.length <= 8);
  const extras = [
    () =>
      `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
    () => hex(r, 64),
    () => `${pick(r, shortWords)}-${pick(r, shortWords)}.com`,
    () => `https://${pick(r, shortWords)}.example.net/${pick(r, shortWords)}/${hex(r, 8)}`,
    () => `<@U${hex(r, 8).toUpperCase()}>`,
    () => `:${pick(r, ['eyes', 'fire', 'rotating_light', 'white_check_mark', 'panda_face'])}:`,
    () => `\`C:\\Users\\${pick(r, shortWords)}\\${pick(r, shortWords)}.dll\``,
    () => `${Math.floor(r() * 60)}m`,
  ];
  const out: string[] = [];
  for (let m = 0; m < count; m++) {
    const target = length ?? 30 + Math.floor(r() * 270);
    const parts: string[] = [];
    let len = 0;
    let sentenceStart = true;
    const withAlias = r() < 0.125;
    const aliasAt = Math.floor(r() * 6);
    for (let w = 0; len < target; w++) {
      let token: string;
      if (withAlias && w === aliasAt) token = pick(r, aliases);
      else if (r() < 0.08) token = pick(r, extras)();
      else {
        const word = pick(r, shortWords);
        token = sentenceStart ? capital(word) : word;
      }
      sentenceStart = false;
      if (r() < 0.1) {
        token += pick(r, ['.', '?', '!', ':']);
        sentenceStart = true;
      } else if (r() < 0.08) token += ',';
      parts.push(token);
      len += token.length + 1;
    }
    let text = parts.join(' ');
    if (length !== undefined) text = text.slice(0, length);
    out.push(text);
  }
  return out;
}

/** Ordinary English that names no actor: word-list words in sentences and paragraphs. */
function englishText(words: readonly string[], targetBytes: number, seed: number): string {
  const r = rng(seed);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    const sentences: string[] = [];
    const n = 3 + Math.floor(r() * 4);
    for (let s = 0; s < n; s++) {
      const len = 5 + Math.floor(r() * 14);
      const ws: string[] = [];
      for (let i = 0; i < len; i++) {
        let w = pick(r, words);
        if (i === 0) w = capital(w);
        if (i > 0 && i < len - 1 && r() < 0.07) w += ',';
        ws.push(w);
      }
      sentences.push(`${ws.join(' ')}${pick(r, ['.', '.', '.', '.', '?', '!'])}`);
    }
    const p = sentences.join(' ');
    paragraphs.push(p);
    size += p.length + 2;
  }
  return paragraphs.join('\n\n');
}

/** README files shipped in node_modules: real English prose (with code and URLs). */
function readmeText(maxBytes: number): string {
  const root = join(REPO, 'node_modules');
  const out: string[] = [];
  let size = 0;
  const walk = (dir: string, depth: number) => {
    if (size >= maxBytes || depth > 4) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (size >= maxBytes) return;
      const path = join(dir, name);
      if (/^readme\.md$/i.test(name)) {
        const text = readFileSync(path, 'utf8');
        out.push(text);
        size += text.length;
      } else if (!name.startsWith('.') && statSync(path, { throwIfNoEntry: false })?.isDirectory())
        walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return out.join('\n\n');
}

/**
 * The baseline: one big alternation of every name as the cards write it (longest first),
 * case-insensitive, with the same boundaries (no letter or digit on either side). ASCII
 * lookarounds and no `u` flag: the fastest form of it in V8 (with \p{L}\p{N} and `u` it runs
 * about 6x slower; with optional separators inside the names, about 300x slower).
 */
function alternationRegex(cards: readonly LoadedCard[]): RegExp {
  const names = new Set(cards.flatMap((e) => allNames(e.card)));
  const alts = [...names]
    .map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![A-Za-z0-9])(?:${alts.join('|')})(?![A-Za-z0-9])`, 'gi');
}

function countRegex(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/** The ceiling: read every character and look it up, nothing else. */
function plainLoop(table: Uint16Array, text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += table[text.charCodeAt(i)]!;
  return sum;
}

/**
 * The ceiling for how the detector reads a long text: the same loop over a native copy of the
 * text (16K code units at a time into a Uint16Array, as `Automaton.scan` does), copy included.
 */
const COPY_UNITS = new Uint16Array(16384);
const COPY_BYTES = Buffer.from(COPY_UNITS.buffer);
function plainLoopOverCopy(table: Uint16Array, text: string): number {
  const units = COPY_UNITS;
  let sum = 0;
  for (let from = 0; from < text.length; from += units.length) {
    const to = Math.min(text.length, from + units.length);
    COPY_BYTES.write(text.slice(from, to), 0, 'utf16le');
    for (let i = 0; i < to - from; i++) sum += table[units[i]!]!;
  }
  return sum;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function run(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.log(`detect: SKIPPED (needs the 447-card alias set: ${CORPUS} does not exist)`);
    return;
  }
  const catalog = loadCatalog(CORPUS, { cacheDir: false });
  const cards = catalog.cards;
  const aliasCount = cards.reduce((n, e) => n + allNames(e.card).length, 0);

  // Build. The word list is read once per process (the first build would otherwise include
  // it); the first build then runs on cold code; later ones are what a catalog reload costs.
  const listMs = time(() => englishWords());
  const countsMs = time(() => englishFrequencies());
  const first = new Detector(cards);
  const builds: number[] = [];
  let detector = first;
  for (let i = 0; i < 9; i++) {
    detector = new Detector(cards);
    builds.push(detector.buildMs);
  }
  console.log(
    `build, ${cards.length} cards, ${aliasCount} names -> ${detector.keyCount} keys, ${detector.automaton.nodeCount} states x ${detector.automaton.width} symbols: median ${fmt(median(builds))} ms, min ${fmt(Math.min(...builds))} ms (9 builds in a row, garbage of the earlier ones included) [target <= 30 ms]; first build ${fmt(first.buildMs)} ms on cold code, after reading the word list (${fmt(listMs)} ms) and the SUBTLEXus counts (${fmt(countsMs)} ms) once per process`,
  );

  const words = readFileSync(wordListPath, 'utf8').split('\n').filter(Boolean);
  const cardAliases = cards.flatMap((e) => e.card.aliases.map((a) => a.name));

  // Throughput on chat-like text, scanned as one long channel log.
  const messages = chatMessages(words, cardAliases, 60_000, 1);
  const chat = messages.join('\n');
  const chatMB = mb(bytes(chat));
  const regex = alternationRegex(cards);
  const table = detector.automaton.alphabet.table;
  const mine: number[] = [];
  const everyRound: number[] = [];
  const base: number[] = [];
  const loop: number[] = [];
  const loopCopy: number[] = [];
  const scanOnly: number[] = [];
  const hits: number[] = [];
  let found = 0;
  let regexFound = 0;
  // The first rounds warm up (optimising compilers, caches) and are not counted: timing them
  // would measure the JIT, which favours none of the contenders. The detector's long-text path
  // took up to six rounds here to reach its steady speed (its parts are optimized one by one,
  // then together), so every round of it is printed too.
  for (let round = 0; round < WARMUP_ROUNDS + TIMED_ROUNDS; round++) {
    const count = round >= WARMUP_ROUNDS;
    const t1 = time(() => {
      found = detector.detect(chat).mentions.length;
    });
    const t2 = time(() => {
      regexFound = countRegex(regex, chat);
    });
    const t3 = time(() => plainLoop(table, chat));
    const t4 = time(() => {
      hits.length = 0;
      detector.automaton.scan(chat, hits);
    });
    const t5 = time(() => plainLoopOverCopy(table, chat));
    everyRound.push(t1);
    if (!count) continue;
    mine.push(t1);
    base.push(t2);
    loop.push(t3);
    scanOnly.push(t4);
    loopCopy.push(t5);
  }
  const rate = (ms: number[]) => chatMB / (median(ms) / 1000);
  const bestRate = (ms: number[]) => chatMB / (Math.min(...ms) / 1000);
  console.log(
    `chat-like text as one string, ${fmt(chatMB, 2)} MB (${messages.length} messages; detector ${found} mentions, regex ${regexFound} raw matches), ${WARMUP_ROUNDS} warm-up rounds then ${TIMED_ROUNDS} timed, interleaved:`,
  );
  console.log(
    `  detector ${fmt(rate(mine))} MB/s | big alternation regex ${fmt(rate(base))} MB/s | plain per-character loop ${fmt(rate(loop))} MB/s (medians; best rounds ${fmt(bestRate(mine))} | ${fmt(bestRate(base))} | ${fmt(bestRate(loop))})`,
  );
  console.log(
    `  detector / regex = ${fmt(rate(mine) / rate(base), 2)}x [target >= 2x, and >= 250 MB/s]; detector / plain loop = ${fmt(rate(mine) / rate(loop), 2)}; the automaton's pass alone (no casing, exclusion or overlap rules) ${fmt(rate(scanOnly))} MB/s`,
  );
  console.log(
    `  detector, every round in order (MB/s; the first ${WARMUP_ROUNDS} are warm-up): ${everyRound.map((ms) => fmt(chatMB / (ms / 1000), 0)).join(' ')}`,
  );
  // The detector reads a long text from a native copy (charCodeAt costs more than the table
  // loads once four state chains run side by side), so it can pass the string loop; this is
  // the ceiling for that way of reading.
  console.log(
    `  plain loop over a native copy of the text, the way the detector reads it (copy included): ${fmt(rate(loopCopy))} MB/s; detector / that loop = ${fmt(rate(mine) / rate(loopCopy), 2)}`,
  );

  // Per message: the same chat text, message by message (what the bot does).
  for (const m of messages) detector.detect(m);
  const perMessage = median(
    [0, 1, 2].map(() =>
      time(() => {
        for (const m of messages) detector.detect(m);
      }),
    ),
  );
  console.log(
    `  message by message: ${fmt(chatMB / (perMessage / 1000))} MB/s including per-call overhead (median of 3 passes after one warm-up pass)`,
  );
  // Per message, 200 characters each (one in eight names an actor), as the bot gets them:
  // parsed from a platform's JSON payload, so flat strings (`slice` would hand the detector
  // views into longer strings). Five passes over all the messages, each message timed on
  // its own. A burst of the shared machine's other work slows a run of consecutive messages in
  // one pass; the median of a message's five times leaves such bursts out without picking the
  // luckiest pass, so the p99 over messages of those medians is what the target is read
  // against. Each pass's own p99 is printed too.
  const two = JSON.parse(
    JSON.stringify(chatMessages(words, cardAliases, 20_000, 2, 200)),
  ) as string[];
  const twoHundred = samplePasses((i) => detector.detect(two[i]!), two.length);
  console.log(`${passesSummary('per 200-character message', twoHundred)} [target p99 <= 5 µs]`);

  // False alarms on ordinary English.
  const english = englishText(words, 4_000_000, 3);
  const englishMB = mb(bytes(english));
  const falseAlarms = english
    .split('\n\n')
    .flatMap((p) => detector.detect(p).mentions.map((m) => p.slice(m.start, m.end)));
  const englishHits = falseAlarms.length;
  const naive = countRegex(regex, english);
  const frequencies = englishFrequencies();
  const wordList = englishWords();
  // English by counts, in paragraphs of five lines, streamed. The first 70,000 lines (4.9 MB)
  // were the whole text until the figure came out at 1.02/MB against 0.58 expected: 5 hits where
  // 2.8 were expected, which a Poisson count does one time in six. BY_COUNTS_BYTES was then fixed,
  // before running it, for a figure that reads the 1/MB target to about +-10% (100 hits expected
  // at the target): 100 MB, the same seed continued. Both figures are printed.
  const lines = englishLineStream(frequencies, wordList, 4);
  const FIRST_LINES = 70_000;
  let byCountsBytes = 0;
  let byCountsWords = 0;
  let naiveCounts = 0;
  let linesDone = 0;
  let before = { bytes: 0, alarms: 0 };
  const countsAlarms: string[] = [];
  while (byCountsBytes < BY_COUNTS_BYTES) {
    const five: string[] = [];
    for (let i = 0; i < 5; i++) five.push(lines.next().value);
    linesDone += 5;
    const p = five.join('. ');
    byCountsBytes += bytes(p) + (linesDone > 5 ? 2 : 0); // paragraphs apart by a blank line
    byCountsWords += p.split(/\s+/).length;
    naiveCounts += countRegex(regex, p);
    for (const m of detector.detect(p).mentions) countsAlarms.push(p.slice(m.start, m.end));
    if (linesDone === FIRST_LINES) before = { bytes: byCountsBytes, alarms: countsAlarms.length };
  }
  const byCountsMB = mb(byCountsBytes);
  const firstMB = mb(before.bytes);
  // What that figure should be, without sampling noise: a name of dictionary words that fires in
  // lower case turns up, at each word drawn, with the product of its words' chances (count /
  // total); summed over such names, times words per MB. Phrases ("the dukes") add a little.
  let dictionaryTotal = 0;
  for (const [w, n] of frequencies.entries()) if (wordList.has(w)) dictionaryTotal += n;
  const chances = { word: 0, phrase: 0 };
  const judged = new Set<string>();
  for (const e of cards) {
    for (const name of allNames(e.card)) {
      const lower = name.toLowerCase();
      const parts = lower.split(' ');
      if (judged.has(lower) || !parts.every((w) => /^[a-z]+$/.test(w) && wordList.has(w))) continue;
      judged.add(lower);
      if (detector.detect(`so ${lower} it`).mentions.length === 0) continue;
      let chance = 1;
      for (const w of parts) chance *= frequencies.count(w) / dictionaryTotal;
      chances[parts.length === 1 ? 'word' : 'phrase'] += chance;
    }
  }
  const wordsPerMB = byCountsWords / byCountsMB;
  const expected = (chances.word + chances.phrase) * wordsPerMB;
  const alarmCounts = new Map<string, number>();
  for (const a of countsAlarms) alarmCounts.set(a, (alarmCounts.get(a) ?? 0) + 1);
  const alarmList = [...alarmCounts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} x${n}`)
    .join(', ');
  console.log(
    `false alarms, English by SUBTLEXus counts (${fmt(byCountsMB, 2)} MB, no actor named): detector ${fmt(countsAlarms.length / byCountsMB, 2)}/MB (${countsAlarms.length}) [target <= 1/MB]; expected from the counts (no sampling noise): ${fmt(expected, 2)}/MB (phrases ${fmt(chances.phrase * wordsPerMB, 2)}); its first ${fmt(firstMB, 2)} MB (the text before): ${fmt(before.alarms / firstMB, 2)}/MB (${before.alarms}); naive case-insensitive scan ${fmt(naiveCounts / byCountsMB, 1)}/MB (${naiveCounts})`,
  );
  console.log(`  every one of them: ${alarmList}`);
  console.log(
    `false alarms, word-list words drawn uniformly (${fmt(englishMB, 2)} MB, a stress text: rare words as often as common ones): detector ${fmt(englishHits / englishMB, 2)}/MB (${englishHits}${englishHits ? `: ${falseAlarms.slice(0, 8).join(', ')}` : ''}) vs naive ${fmt(naive / englishMB, 1)}/MB (${naive}) [no target since issue 14: rare words fire in lower case]`,
  );
  // Precision and recall on the labelled set, at the chosen thresholds and around them.
  const set = labelledSet(cards, frequencies, wordList);
  const chosen = score(detector, set);
  const styles = [...chosen.byStyle].map(([k, v]) => `${k} ${v.found}/${v.all}`).join(', ');
  console.log(
    `labelled set (${chosen.positives} messages naming an actor, ${chosen.negatives} naming none): precision ${fmt(100 * chosen.precision, 2)}%, recall ${fmt(100 * chosen.recall, 2)}% at rare < ${COMMON_COUNT} (a word), < ${PHRASE_COMMON_COUNT} (a phrase's rarest word) [targets: precision >= 98%, recall >= 97%]; found by style: ${styles}`,
  );
  // Every miss and every false alarm, grouped by the detector's verdict on it (--explain).
  const quote = (p: { text: string; start: number; end: number; style?: string }) =>
    `"${p.text.slice(p.start, p.end)}"${p.style ? ` [${p.style}]` : ''} in "${p.text}"`;
  for (const [what, places] of [
    ['misses', chosen.missed],
    ['false alarms', chosen.alarms],
  ] as const) {
    console.log(`  ${what}, ${places.length}, by the verdict on them:`);
    for (const [why, group] of verdicts(detector, places)) {
      console.log(`    ${group.length} ${why}: ${group.map(quote).join(' | ')}`);
    }
  }
  const sweep: string[] = [];
  for (const common of [5, 10, 15, 20, 50]) {
    for (const phrase of [300, 1000, 3000]) {
      const s = score(
        new Detector(cards, { thresholds: { ...DEFAULT_THRESHOLDS, common, phrase } }),
        set,
      );
      sweep.push(`${common}/${phrase}: P ${fmt(100 * s.precision, 2)} R ${fmt(100 * s.recall, 2)}`);
    }
  }
  console.log(`  other thresholds (word/phrase): ${sweep.join('; ')}`);
  const guarded = score(
    new Detector(cards, {
      thresholds: { ...DEFAULT_THRESHOLDS, prefix: PREFIX_COMMON_COUNT_BEFORE },
    }),
    set,
  );
  console.log(
    `  with the earlier rule that no word counted ${PREFIX_COMMON_COUNT_BEFORE}+ times is an actor prefix ("group", "tag", "storm"): P ${fmt(100 * guarded.precision, 2)} R ${fmt(100 * guarded.recall, 2)}`,
  );

  const readmes = readmeText(6_000_000);
  if (readmes) {
    const readmeMB = mb(bytes(readmes));
    const hits = detector.detect(readmes).mentions;
    const naiveReadme = countRegex(regex, readmes);
    const forms = new Map<string, number>();
    for (const m of hits) {
      const k = readmes.slice(m.start, m.end);
      forms.set(k, (forms.get(k) ?? 0) + 1);
    }
    const top = [...forms]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, n]) => `"${k}" x${n}`)
      .join(', ');
    console.log(
      `hits in node_modules READMEs (${fmt(readmeMB, 2)} MB of real prose, may name real things): detector ${fmt(hits.length / readmeMB, 2)}/MB (${hits.length}) vs naive ${fmt(naiveReadme / readmeMB, 1)}/MB (${naiveReadme})${top ? `; detector's: ${top}` : ''}`,
    );
  }
}
