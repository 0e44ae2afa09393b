import type { Detector } from '../../src/detect/detector.js';

/**
 * The mentions found in `lines` joined into one long text, and those found line by line with
 * their offsets moved to the whole ("start:end:uuid" each). A long text is scanned another way
 * than a chat message (from copied windows, in parts at once): the two lists must be equal.
 */
export function wholeAndByLine(
  detector: Detector,
  lines: readonly string[],
): { whole: string[]; byLine: string[] } {
  const text = lines.join('\n');
  const whole = detector.detect(text).mentions.map((m) => `${m.start}:${m.end}:${m.uuid}`);
  const byLine: string[] = [];
  let offset = 0;
  for (const line of lines) {
    for (const m of detector.detect(line).mentions)
      byLine.push(`${m.start + offset}:${m.end + offset}:${m.uuid}`);
    offset += line.length + 1;
  }
  return { whole, byLine };
}
