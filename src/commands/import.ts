import { resolve } from 'node:path';
import { readInput } from '../import/download.js';
import { importEtda } from '../import/etda.js';
import { DEFAULT_MAX_BYTES, ImportError, parseJson } from '../import/json.js';
import { importMisp } from '../import/misp.js';
import type { ImportBatch } from '../import/model.js';
import { importStix } from '../import/stix.js';
import { formatPlan, planImport, runImport } from '../import/writer.js';
import { type Command, UsageError } from './command.js';
import { parse } from './shared.js';

const KINDS = ['etda', 'misp-galaxy', 'stix'] as const;

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number`);
  return n;
}

export const importCommand: Command = {
  name: 'import',
  usage: `aptcard import etda <file-or-url> [--out DIR] [--extra-sections] [options]
aptcard import misp-galaxy <file-or-url> [--out DIR] [options]
aptcard import stix <file-or-url> [--out DIR] [options]

etda          the ETDA Threat Group Card JSON export (https://apt.etda.or.th/cgi-bin/getcard.cgi?g=all&o=j)
misp-galaxy   a MISP galaxy cluster: threat-actor.json, or mitre-intrusion-set.json (MITRE ATT&CK groups)
stix          a STIX 2.1 bundle: MITRE ATT&CK Enterprise, Mobile or ICS (attack-stix-data), or an
              OpenCTI / MISP export; intrusion-sets and threat-actors become cards with their
              techniques, software and campaigns (revoked and deprecated ones are skipped, and
              their earlier cards removed)

--out DIR           where the cards go (default: --cards, else CARDS_DIR; one of them is needed)
--extra-sections    etda: also write information, mitre-attack, playbook and alienvault-otx
                    as sections after the standard ones (off: cards are exactly ETDA's layout)
--dry-run           print what would change; write nothing
--prune             remove cards that left the source (unless edited by hand)
--force             overwrite imported cards edited or deleted by hand since the last import
--max-size MB       refuse inputs larger than this (default ${DEFAULT_MAX_BYTES / 1024 / 1024})
--timeout SECONDS   give up on a download that sends nothing for this long (default 60)

A re-run matches cards by source and UUID (recorded in DIR/.aptcard-import.json): it updates cards
that changed at the source, adds new ones, leaves hand-written and hand-edited cards alone, and
prints what changed. Nothing is written unless the whole input is valid.`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' },
      cards: { type: 'string' },
      'extra-sections': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      prune: { type: 'boolean' },
      force: { type: 'boolean' },
      'max-size': { type: 'string' },
      timeout: { type: 'string' },
    });
    const [kindArg, input, ...rest] = positionals;
    const kind = kindArg === 'misp' ? 'misp-galaxy' : kindArg;
    if (!kind || !(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`the first argument must be one of ${KINDS.join(', ')}`);
    }
    if (!input) throw new UsageError('missing <file-or-url>');
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (values['extra-sections'] && kind !== 'etda') {
      throw new UsageError('--extra-sections is for etda (MISP cards always keep every field)');
    }
    const maxBytes = Math.round(
      positiveNumber(values['max-size'], '--max-size', DEFAULT_MAX_BYTES / 1048576) * 1048576,
    );
    const timeoutMs = Math.round(positiveNumber(values.timeout, '--timeout', 60) * 1000);
    // Never the bundled seeds/ by default: an update of aptcard would overwrite the import.
    const outSetting = values.out ?? values.cards ?? (io.env.CARDS_DIR?.trim() || undefined);
    if (!outSetting) {
      throw new UsageError(
        'say where the cards go: --out DIR (or set CARDS_DIR); import never writes into the bundled seeds/ folder',
      );
    }
    const outDir = resolve(outSetting);

    const stderr = io.stderr as { write(chunk: string): unknown; isTTY?: boolean };
    const bytes = await readInput(input, { maxBytes, timeoutMs, progress: stderr });
    const json = parseJson(bytes, input, { maxBytes });
    let batch: ImportBatch;
    if (kind === 'etda')
      batch = importEtda(json, input, { extraSections: Boolean(values['extra-sections']) });
    else if (kind === 'stix') batch = importStix(json, input);
    else batch = importMisp(json, input);
    if (batch.cards.length === 0) throw new ImportError(`${input}: no records to import`);

    const options = { prune: Boolean(values.prune), force: Boolean(values.force) };
    const dryRun = Boolean(values['dry-run']);
    const plan = dryRun ? planImport(outDir, batch, options) : runImport(outDir, batch, options);
    io.stdout.write(formatPlan(plan, dryRun));
    return 0;
  },
};
