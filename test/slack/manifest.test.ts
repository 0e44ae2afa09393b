/** The app manifest asks for exactly what the adapter uses (read as text: no YAML dependency). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';

const manifest = readFileSync(resolve(REPO_ROOT, 'adapters/slack/manifest.yml'), 'utf8');

/** The "- item" lines right under `key:` (uncommented). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const at = lines.findIndex((l) => l.trim() === `${key}:`);
  if (at < 0) return [];
  const indent = (lines[at] ?? '').search(/\S/);
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim().startsWith('#')) continue;
    const m = /^(\s*)- (.+)$/.exec(line);
    if (!m || (m[1] ?? '').length <= indent) break;
    out.push((m[2] ?? '').trim());
  }
  return out;
}

describe('adapters/slack/manifest.yml', () => {
  it('declares the /apt slash command', () => {
    expect(manifest).toMatch(/slash_commands:\n\s+- command: \/apt\n/);
    expect(manifest).toMatch(/should_escape: false/);
  });

  it('asks for exactly the bot scopes the adapter needs', () => {
    expect(listUnder('bot').sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'chat:write',
        'commands',
        // Map & timeline uploads the card's pictures (files.uploadV2).
        'files:write',
        'groups:history',
        'users:read',
      ].sort(),
    );
  });

  it('subscribes to mentions and to channel messages (public and private)', () => {
    expect(listUnder('bot_events').sort()).toEqual(
      ['app_mention', 'message.channels', 'message.groups'].sort(),
    );
  });

  it('turns on interactivity (buttons) and Socket Mode', () => {
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/^\s+socket_mode_enabled: true$/m);
  });

  it('has no tabs (YAML forbids them for indentation)', () => {
    expect(manifest).not.toContain('\t');
  });
});
