/**
 * STIX import benchmark (issue 15): `aptcard import stix` of a generated bundle the size of
 * Enterprise ATT&CK (about 50 MB: groups, techniques with sub-techniques, software, campaigns
 * and tens of thousands of `uses` relationships with citation-laden descriptions). The import
 * runs in a child process so its peak RSS is its own. The baseline, measured in the same run,
 * is the same child doing only JSON.parse of the file: the import's cost over reading it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = pathToFileURL(resolve(HERE, '../app/cli.js')).href;

const hex = (n: number, width = 12) => n.toString(16).padStart(width, '0');
const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => `word${(seed * 31 + i * 7) % 997}`).join(' ');

/** Write a bundle of about `targetBytes`, object by object (the bench process stays small). */
function writeBundle(path: string, targetBytes: number): { objects: number; bytes: number } {
  const fd = openSync(path, 'w');
  let bytes = 0;
  let objects = 0;
  const put = (o: object) => {
    const text = `${objects ? ',\n' : ''}${JSON.stringify(o)}`;
    writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    objects++;
  };
  writeSync(
    fd,
    '{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[\n',
  );
  const ref = (kind: string, id: string) => [
    { source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/${kind}/${id}` },
    ...Array.from({ length: 6 }, (_, i) => ({
      source_name: `Report ${id} ${i}`,
      description: words(20, i),
      url: `https://example.org/${id}/${i}`,
    })),
  ];
  const groups = 180;
  const techniques = 800;
  const software = 800;
  for (let t = 0; t < techniques; t++) {
    const id =
      t < 200
        ? `T${1000 + t}`
        : `T${1000 + (t % 200)}.${String(Math.floor(t / 200)).padStart(3, '0')}`;
    put({
      type: 'attack-pattern',
      id: `attack-pattern--aaaaaaaa-0000-4000-8000-${hex(t)}`,
      name: `Technique ${t}`,
      description: words(300, t),
      external_references: ref('techniques', id),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: `tactic-${t % 14}` }],
      revoked: t % 50 === 49,
    });
  }
  for (let s = 0; s < software; s++) {
    put({
      type: s % 3 ? 'malware' : 'tool',
      id: `${s % 3 ? 'malware' : 'tool'}--bbbbbbbb-0000-4000-8000-${hex(s)}`,
      name: `Software ${s}`,
      description: words(200, s),
      external_references: ref('software', `S${String(s).padStart(4, '0')}`),
    });
  }
  for (let g = 0; g < groups; g++) {
    put({
      type: 'intrusion-set',
      id: `intrusion-set--cccccccc-0000-4000-8000-${hex(g)}`,
      name: `Group ${g}`,
      aliases: [`Group ${g}`, `Alias ${g}a`, `Alias ${g}b`],
      description: `[Group ${g}](https://attack.mitre.org/groups/G${1000 + g}) ${words(150, g)}.(Citation: Report G${1000 + g} 0)(Citation: Report G${1000 + g} 1)`,
      external_references: ref('groups', `G${1000 + g}`),
      modified: '2025-04-01T00:00:00.000Z',
      revoked: g % 40 === 39,
    });
  }
  let r = 0;
  const rel = (source: string, target: string, type = 'uses') =>
    put({
      type: 'relationship',
      id: `relationship--dddddddd-0000-4000-8000-${hex(r++)}`,
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      description: `${words(60, r)}.(Citation: Report X ${r % 6})`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
    });
  // Groups' own uses first, then software -> technique uses until the bundle is big enough.
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 80; k++) {
      rel(
        `intrusion-set--cccccccc-0000-4000-8000-${hex(g)}`,
        `attack-pattern--aaaaaaaa-0000-4000-8000-${hex((g * 13 + k * 7) % techniques)}`,
      );
    }
    for (let k = 0; k < 15; k++) {
      const s = (g * 11 + k * 5) % software;
      rel(
        `intrusion-set--cccccccc-0000-4000-8000-${hex(g)}`,
        `${s % 3 ? 'malware' : 'tool'}--bbbbbbbb-0000-4000-8000-${hex(s)}`,
      );
    }
  }
  for (let k = 0; bytes < targetBytes; k++) {
    const s = k % software;
    rel(
      `${s % 3 ? 'malware' : 'tool'}--bbbbbbbb-0000-4000-8000-${hex(s)}`,
      `attack-pattern--aaaaaaaa-0000-4000-8000-${hex(k % techniques)}`,
    );
  }
  writeSync(fd, '\n]}\n');
  closeSync(fd);
  return { objects, bytes: statSync(path).size };
}

function child(script: string): { ms: number; maxRssMB: number; code: number; out: string } {
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = (res.stderr.trim().split('\n').pop() ?? '').trim();
  try {
    return {
      ...(JSON.parse(last) as { ms: number; maxRssMB: number; code: number }),
      out: res.stdout,
    };
  } catch {
    throw new Error(`bench child failed: ${res.stderr.slice(-2000)}`);
  }
}

const report = `console.error(JSON.stringify({ code, ms: performance.now() - t, maxRssMB: process.resourceUsage().maxRSS / 1024 }))`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-bench-stix-'));
  try {
    const file = join(dir, 'bundle.json');
    const made = writeBundle(file, 50 * 1024 * 1024);
    console.log(`generated bundle: ${fmt(made.bytes / 1048576)} MB, ${made.objects} objects`);
    const parseOnly = child(
      `import { readFileSync } from 'node:fs'; const t = performance.now(); const code = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8')).objects.length > 0 ? 0 : 1; ${report}`,
    );
    const rounds: ReturnType<typeof child>[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `cards-${i}`);
      rounds.push(
        child(
          `import { main } from ${JSON.stringify(CLI)}; const t = performance.now(); const code = await main(['import', 'stix', ${JSON.stringify(file)}, '--out', ${JSON.stringify(out)}], { stdout: { write() {} }, stderr: process.stderr, stdin: process.stdin, env: { CACHE_DIR: 'off' } }); ${report}`,
        ),
      );
    }
    for (const r of rounds) if (r.code !== 0) throw new Error('import failed');
    const ms = rounds.map((r) => r.ms).sort((a, b) => a - b);
    const rss = rounds.map((r) => r.maxRssMB).sort((a, b) => a - b);
    console.log(
      `JSON.parse only (baseline): ${fmt(parseOnly.ms)} ms, peak RSS ${fmt(parseOnly.maxRssMB)} MB`,
    );
    console.log(
      `aptcard import stix (3 rounds, fresh folder each): median ${fmt(ms[1] ?? 0)} ms (min ${fmt(ms[0] ?? 0)}, max ${fmt(ms[2] ?? 0)}), peak RSS median ${fmt(rss[1] ?? 0)} MB (max ${fmt(rss[2] ?? 0)})`,
    );
    console.log(
      `ratio to the baseline: time ${fmt((ms[1] ?? 0) / parseOnly.ms)}x, peak RSS ${fmt((rss[1] ?? 0) / parseOnly.maxRssMB)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
