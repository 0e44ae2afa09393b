import { moreText } from '../../src/reply/first-screen.js';

/**
 * Lines packed into chunks of at most `room` characters (a Slack section, a Discord field value),
 * at most `max` chunks; a line too long for a chunk is cut with `cut` (each platform escapes its
 * own way), and the lines left over are counted in a last line ("+12 more references").
 */
export function packLines(
  lines: readonly string[],
  options: { room: number; max: number; what: string; cut: (line: string, room: number) => string },
): string[] {
  const { room, max, what, cut } = options;
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (const line of lines) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= room) {
      current = joined;
      used++;
      continue;
    }
    if (chunks.length + 1 >= max) break;
    if (current) chunks.push(current);
    current = cut(line, room);
    used++;
  }
  const left = lines.length - used;
  if (left > 0) current = `${current}\n${moreText(left, what)}`;
  if (current) chunks.push(current);
  return chunks;
}
