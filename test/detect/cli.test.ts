import { afterAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { NETTRAVELER, PANDA, TIGER_A, TIGER_B, TURLA } from '../fixtures/detect/cards.js';
import { cardsFolder } from '../helpers/cards.js';
import { runCli } from '../helpers/cli.js';

const { dir, cleanup } = cardsFolder(
  Object.fromEntries(
    [NETTRAVELER, PANDA, TIGER_A, TIGER_B, TURLA].map((e) => [
      `${e.card.uuid}.md`,
      renderCard(e.card),
    ]),
  ),
  [],
);
afterAll(cleanup);

const run = runCli;

describe('aptcard detect', () => {
  it('answers one JSON line per input line, in order, empty lines included', async () => {
    const lines = [
      'infra overlaps with TEMP.Zhenbao',
      '',
      'Lead analyst is out',
      'APT21 or Hammer Panda? `Turla` no',
      'Iron Tiger',
    ];
    const { code, stdout, stderr } = await run(
      ['detect', '--cards', dir, '--json', '--stdin'],
      lines,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.text)).toEqual(lines);
    const nt = {
      uuid: NETTRAVELER.card.uuid,
      name: 'NetTraveler',
      uuids: [NETTRAVELER.card.uuid],
    };
    expect(out[0]).toEqual({
      text: lines[0],
      mentions: [{ ...nt, alias: 'TEMP.Zhenbao', start: 20, end: 32 }],
    });
    expect(out[1].mentions).toEqual([]);
    expect(out[2].mentions).toEqual([]);
    expect(out[3].mentions).toEqual([
      { ...nt, alias: 'APT 21', start: 0, end: 5 },
      { ...nt, alias: 'Hammer Panda', start: 9, end: 21 },
    ]);
    expect(out[4].mentions.map((m: { uuid: string }) => m.uuid).sort()).toEqual(
      [TIGER_A.card.uuid, TIGER_B.card.uuid].sort(),
    );
    for (const m of out[4].mentions)
      expect(m).toMatchObject({ alias: 'Iron Tiger', start: 0, end: 10 });
  });

  it('takes one message as text and prints something readable', async () => {
    const { code, stdout } = await run(['detect', '--cards', dir, 'is', 'it', 'apt-21?']);
    expect(code).toBe(0);
    expect(stdout).toContain('"apt-21" at 6-12: NetTraveler (as APT 21)');
    expect(stdout).toContain(NETTRAVELER.card.uuid);
    const none = await run(['detect', '--cards', dir, 'nothing here']);
    expect(none.stdout).toBe('no actor named\n');
  });

  it('prints readable lines for --stdin without --json', async () => {
    const { stdout } = await run(
      ['detect', '--cards', dir, '--stdin'],
      ['Turla and APT 21', 'nothing'],
    );
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      `line 1: "Turla" at 0-5: Turla  ${TURLA.card.uuid}`,
      `line 1: "APT 21" at 10-16: NetTraveler (as APT 21)  ${NETTRAVELER.card.uuid}`,
      'line 2: no actor named',
    ]);
  });

  it('prints JSON for one message with --json', async () => {
    const { stdout } = await run(['detect', '--cards', dir, '--json', 'Turla!']);
    expect(JSON.parse(stdout)).toEqual({
      text: 'Turla!',
      mentions: [
        {
          uuid: TURLA.card.uuid,
          name: 'Turla',
          alias: 'Turla',
          start: 0,
          end: 5,
          uuids: [TURLA.card.uuid],
        },
      ],
    });
  });

  it('applies ENRICH_ALLOW and ENRICH_DENY', async () => {
    const allow = await run(['detect', '--cards', dir, '--json', 'a panda'], [], {
      ENRICH_ALLOW: 'Panda',
    });
    expect(JSON.parse(allow.stdout).mentions).toHaveLength(1);
    const deny = await run(['detect', '--cards', dir, '--json', 'Turla'], [], {
      ENRICH_DENY: 'turla, x',
    });
    expect(JSON.parse(deny.stdout).mentions).toEqual([]);
  });

  it('explains each candidate name with --explain: risk, how it was written, why', async () => {
    const { code, stdout } = await run([
      'detect',
      '--cards',
      dir,
      '--explain',
      'Panda said apt 21 and a panda, not `turla`',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('"Panda" at 0-5: Panda Crew (as Panda)\n');
    expect(stdout).toContain('  risk: word; written: capitalised at a sentence start, one word\n');
    expect(stdout).toContain('  does not fire: a common English word ("panda" 108 in SUBTLEXus)');
    // One numbered APT alias in these cards, but APT is a vendor's prefix whatever the catalog.
    expect(stdout).toContain('"apt 21" at 11-17: NetTraveler (as APT 21)\n  risk: prefixed;');
    expect(stdout).toContain('  fires: a number after an actor prefix ("apt")');
    expect(stdout).toContain('and it is in lower case');
    expect(stdout).toContain('"turla" at 36-41: Turla');
    expect(stdout).toContain('inside code');
    const json = await run(['detect', '--cards', dir, '--explain', '--json', 'apt21']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      text: 'apt21',
      candidates: [{ written: 'apt21', risk: 'safe', fired: true, cards: ['NetTraveler'] }],
    });
    const none = await run(['detect', '--cards', dir, '--explain', 'nothing here']);
    expect(none.stdout).toBe('no candidate name\n');
  });

  it('is a usage error without a message, or with both a message and --stdin', async () => {
    expect((await run(['detect', '--cards', dir])).code).toBe(2);
    const both = await run(['detect', '--cards', dir, '--stdin', 'Turla']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});
