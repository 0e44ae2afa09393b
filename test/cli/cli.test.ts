import { afterAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { COPPER, cardsFolder, makeCard, VIPER } from '../helpers/cards.js';
import { runCli } from '../helpers/cli.js';

const { dir, cleanup } = cardsFolder({ 'broken.md': '# Not a card\n' });
afterAll(cleanup);

const run = runCli;

describe('aptcard search', () => {
  it('answers status as JSON for scripts', async () => {
    const { code, stdout } = await run(['search', '--cards', dir, '--json', 'status']);
    expect(code).toBe(0);
    const line = JSON.parse(stdout) as {
      outcome: string;
      status: { actors: number; cards: number };
    };
    expect(line.outcome).toBe('status');
    expect(line.status.cards).toBeGreaterThan(0);
    expect(line.status.actors).toBeLessThanOrEqual(line.status.cards);
  });

  it('prints the stable JSON line', async () => {
    const { code, stdout, stderr } = await run(['search', '--cards', dir, '--json', 'APT-99']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      query: 'APT-99',
      outcome: 'profile',
      results: [
        {
          uuid: COPPER.uuid,
          name: 'Copper Lantern',
          score: 1000,
          uuids: [COPPER.uuid],
          sources: ['local'],
        },
      ],
      suggestions: [],
      match: 'exact',
    });
    expect(stderr).toMatch(/broken\.md:1: no title/);
  });

  it('answers one JSON line per stdin line, in order', async () => {
    const { code, stdout } = await run(
      ['search', '--cards', dir, '--stdin'],
      ['night owl', '', 'country:russia', 'Quite Herring', 'zzzzqqqq'],
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.query, l.outcome])).toEqual([
      ['night owl', 'ambiguous'],
      ['', 'none'],
      ['country:russia', 'list'],
      ['Quite Herring', 'none'],
      ['zzzzqqqq', 'none'],
    ]);
    expect(lines[2]?.results).toEqual([
      { uuid: VIPER.uuid, name: 'Glass Viper', score: 0, uuids: [VIPER.uuid], sources: ['local'] },
    ]);
    expect(lines[3]?.suggestions).toContainEqual({
      uuid: COPPER.uuid,
      name: 'Copper Lantern',
      why: 'similar-name',
      uuids: [COPPER.uuid],
      sources: ['local'],
    });
  });

  it('prints a readable answer without --json, and takes CARDS_DIR', async () => {
    const { code, stdout } = await run(['search', 'quiet', 'heron'], [], { CARDS_DIR: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Copper Lantern, APT 99, Quiet Heron\n/);
    expect(stdout).toMatch(/Aliases: Copper Lantern \(Kaspersky\), APT 99 \(Mandiant\)/);
  });

  it('explains a usage error with exit code 2', async () => {
    const { code, stderr } = await run(['search']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing QUERY/);
    expect(stderr).toMatch(/Usage: aptcard search/);
    expect((await run(['search', '--bogus', 'x'])).code).toBe(2);
  });
});

describe('aptcard show', () => {
  it('prints the lossless markdown', async () => {
    const { code, stdout } = await run([
      'show',
      '--cards',
      dir,
      '--format',
      'markdown',
      'Quiet Heron',
    ]);
    expect(code).toBe(0);
    const { renderCard } = await import('../../src/cards/render.js');
    expect(stdout).toBe(renderCard(COPPER));
  });

  it('prints JSON by UUID and text by default', async () => {
    const json = await run(['show', '--cards', dir, '--format', 'json', VIPER.uuid]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      uuid: VIPER.uuid,
      names: ['Glass Viper'],
      tools: ['Cobalt Strike', 'ViperLocker'],
    });
    const text = await run(['show', '--cards', dir, 'glass viper']);
    expect(text.stdout).toMatch(/^Glass Viper\n/);
  });

  it('refuses a shared alias and an unknown name with exit code 1', async () => {
    const shared = await run(['show', '--cards', dir, 'Night Owl']);
    expect(shared.code).toBe(1);
    expect(shared.stderr).toMatch(/names 2 different actors; use a UUID/);
    const unknown = await run(['show', '--cards', dir, 'Nobody']);
    expect(unknown.code).toBe(1);
    expect((await run(['show', '--cards', dir, '--format', 'pdf', 'x'])).code).toBe(2);
  });
});

describe('aptcard validate', () => {
  it('exits 1 on errors and lists them with warnings', async () => {
    const { code, stdout } = await run(['validate', '--cards', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: .*broken\.md:1: no title/);
    expect(stdout).toMatch(/warning: .*alias "Night Owl" is shared by 2 cards/);
    expect(stdout).toMatch(/3 cards loaded .* 1 error\(s\), 1 warning\(s\)/);
  });

  it('exits 0 on a clean folder, with --json', async () => {
    const clean = cardsFolder({}, [COPPER]);
    try {
      const { code, stdout } = await run(['validate', '--cards', clean.dir, '--json']);
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as {
        cards: number;
        errors: unknown[];
        warnings: { message: string }[];
      };
      expect(report.cards).toBe(1);
      expect(report.errors).toEqual([]);
      // Copper links to Glass Viper and Tin Sparrow, absent here.
      expect(report.warnings.map((w) => w.message)).toHaveLength(2);
    } finally {
      clean.cleanup();
    }
  });
});

describe('aptcard (top level)', () => {
  it('lists the commands with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['search', 'show', 'validate', 'start'])
      expect(stdout).toMatch(new RegExp(`\\n  ${name} `));
  });

  it('rejects an unknown command', async () => {
    const { code, stderr } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe('aptcard start (console chat on a pipe)', () => {
  it('answers /apt, help and free text, then exits at end of input', async () => {
    const { code, stdout } = await run(
      ['start', '--cards', dir],
      [
        '/apt apt 99',
        'help',
        '/apt',
        '@aptcard who is Glass Viper?',
        'glass viper',
        'seen glass viper on the vpn again',
        '/apt <!channel> zzzzqqq',
      ],
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Copper Lantern, APT 99, Quiet Heron\n=+\n/);
    expect(stdout).toMatch(/Look up an actor:\n {2}\/apt hammer panda/);
    expect(stdout).toMatch(/Usage: \/apt <actor name or filters>/);
    // The mention, and the line that is just the name: the card each time.
    expect(stdout.match(/^Glass Viper\n=+\n/gm)).toHaveLength(2);
    // "glass viper" in lower case in a sentence names the actor ("viper" is rare in a
    // phrase): enrichment.
    expect(stdout).toMatch(/^Glass Viper: Russia; aka Glass Viper \(Microsoft\)/m);
    // The ping before the name is for people: the answer is about the name alone.
    expect(stdout).toMatch(/No card for "zzzzqqq"/);
    expect(stdout).not.toMatch(/<!channel>/);
  });

  it('refuses a wrong configuration with every problem listed', async () => {
    const { code, stderr } = await run(['start'], [], {
      SLACK_BOT_TOKEN: 'xoxp-wrong',
      PORT: 'eighty',
      DISCORD_TOKEN: 'abc',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/SLACK_BOT_TOKEN should start with "xoxb-"/);
    expect(stderr).toMatch(/PORT must be a whole number/);
    expect(stderr).toMatch(/DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not/);
    expect(stderr).not.toMatch(/xoxp-wrong|abc/);
  });
});

describe('aptcard actors', () => {
  const etda = makeCard({
    uuid: '33333333-3333-4333-8333-333333333333',
    names: ['Amber Kestrel'],
    aliases: [
      { name: 'Amber Kestrel', vendor: 'ESET' },
      { name: 'APT 777', vendor: '' },
    ],
    countries: ['Iran'],
  });
  const misp = makeCard({
    uuid: '44444444-4444-4444-8444-444444444444',
    names: ['Amber Kestrel'],
    aliases: [{ name: 'Amber Kestrel', vendor: '' }],
  });
  const manifest = JSON.stringify({
    version: 1,
    cards: {
      [`etda:${etda.uuid}`]: { file: 'a.md', hash: 'x' },
      [`misp-galaxy:threat-actor:${misp.uuid}`]: { file: 'b.md', hash: 'y' },
    },
  });
  const { dir: folder, cleanup: done } = cardsFolder(
    { 'a.md': renderCard(etda), 'b.md': renderCard(misp), '.aptcard-import.json': manifest },
    [],
  );
  afterAll(done);

  it('lists actors with their cards and sources, as text and JSON', async () => {
    const text = await runCli(['actors', '--cards', folder]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Amber Kestrel \(2 cards\)\n {2}- etda: Amber Kestrel/);
    expect(text.stdout).toMatch(/1 actors from 2 cards/);
    const json = await runCli(['actors', '--cards', folder, '--json', 'apt-777']);
    expect(JSON.parse(json.stdout).actors).toEqual([
      expect.objectContaining({
        uuid: etda.uuid,
        uuids: [etda.uuid, misp.uuid],
        sources: ['etda', 'misp-galaxy:threat-actor'],
      }),
    ]);
  });

  it('explains the merge, and search --json reports every card', async () => {
    const why = await runCli(['actors', '--cards', folder, '--explain', 'Amber Kestrel']);
    expect(why.stdout).toMatch(
      /merged: Amber Kestrel \[etda\].*~.*Amber Kestrel \[misp-galaxy:threat-actor\]/,
    );
    expect(why.stdout).toMatch(/evidence: name "Amber Kestrel" \(first name of both\)/);
    const search = await runCli(['search', '--cards', folder, '--json', 'Amber Kestrel']);
    expect(JSON.parse(search.stdout).results[0]).toMatchObject({
      uuid: etda.uuid,
      uuids: [etda.uuid, misp.uuid],
      sources: ['etda', 'misp-galaxy:threat-actor'],
    });
    const detect = await runCli(['detect', '--cards', folder, '--json', 'Amber Kestrel again']);
    expect(JSON.parse(detect.stdout).mentions).toEqual([
      expect.objectContaining({ uuid: etda.uuid, uuids: [etda.uuid, misp.uuid] }),
    ]);
    const shown = await runCli(['show', '--cards', folder, '--format', 'json', 'APT 777']);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      uuid: etda.uuid,
      uuids: [etda.uuid, misp.uuid],
      sources: ['etda', 'misp-galaxy:threat-actor'],
    });
    const both = await runCli(['show', '--cards', folder, '--format', 'markdown', 'APT 777']);
    expect(both.stdout).toBe(`${renderCard(etda)}\n${renderCard(misp)}`);
    const one = await runCli(['show', '--cards', folder, '--format', 'markdown', misp.uuid]);
    expect(one.stdout).toBe(renderCard(misp));
    const missing = await runCli(['actors', '--cards', folder, 'nobody here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no actor is named "nobody here"/);
  });
});

describe('errors in the cards, before an answer', () => {
  it('prints the first five and how many more, then answers', async () => {
    // Eight copies of one card in one folder: seven duplicate-UUID errors.
    const copies = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`copy-${i}.md`, renderCard(COPPER)]),
    );
    const many = cardsFolder(copies, []);
    try {
      const { code, stdout, stderr } = await runCli(['search', '--cards', many.dir, 'apt 99']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Copper Lantern/);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(6);
      expect(lines.slice(0, 5).every((l) => /duplicate UUID .*this copy is skipped$/.test(l))).toBe(
        true,
      );
      expect(lines[5]).toBe(
        'aptcard: and 2 more errors in the cards; "aptcard validate" lists them all',
      );
      const all = await runCli(['validate', '--cards', many.dir]);
      expect(all.code).toBe(1);
      expect(`${all.stdout}${all.stderr}`.match(/duplicate UUID/g)).toHaveLength(7);
    } finally {
      many.cleanup();
    }
  });
});
