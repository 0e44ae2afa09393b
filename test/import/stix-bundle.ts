/** A small hand-written STIX 2.1 bundle with every object type the importer reads. */
import type { Json } from '../../src/import/json.js';

export const GROUP_UUID = '11111111-1111-4111-8111-111111111111';
export const REVOKED_UUID = '22222222-2222-4222-8222-222222222222';
export const ACTOR_UUID = '33333333-3333-4333-8333-333333333333';

const attack = (kind: string, id: string) => ({
  source_name: 'mitre-attack',
  external_id: id,
  url: `https://attack.mitre.org/${kind}/${id.replace('.', '/')}`,
});

type Obj = { [key: string]: Json };

const rel = (n: number, source: string, type: string, target: string, extra: Obj = {}): Obj => ({
  type: 'relationship',
  id: `relationship--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  relationship_type: type,
  source_ref: source,
  target_ref: target,
  ...extra,
});

export const G = `intrusion-set--${GROUP_UUID}`;
const REVOKED = `intrusion-set--${REVOKED_UUID}`;
const ACTOR = `threat-actor--${ACTOR_UUID}`;
const T_PHISH = 'attack-pattern--aaaaaaaa-0000-4000-8000-000000000001';
const T_ATTACH = 'attack-pattern--aaaaaaaa-0000-4000-8000-000000000002';
const T_OLD = 'attack-pattern--aaaaaaaa-0000-4000-8000-000000000003';
const T_PLAIN = 'attack-pattern--aaaaaaaa-0000-4000-8000-000000000004';
const S_MIMI = 'tool--bbbbbbbb-0000-4000-8000-000000000001';
const S_BAD = 'malware--bbbbbbbb-0000-4000-8000-000000000002';
const CAMPAIGN = 'campaign--cccccccc-0000-4000-8000-000000000001';
const PLACE = 'location--dddddddd-0000-4000-8000-000000000001';
const SECTOR = 'identity--dddddddd-0000-4000-8000-000000000002';

export function smallBundle(): Obj {
  const objects: Obj[] = [
    { type: 'x-mitre-collection', id: 'x-mitre-collection--1', name: 'Test ATT&CK' },
    {
      type: 'intrusion-set',
      id: G,
      name: 'Copper Lantern',
      aliases: ['Copper Lantern', 'LANTERN-9', 'Dim [Light]'],
      description:
        '[Copper Lantern](https://attack.mitre.org/groups/G9901) is a made-up group.(Citation: Lantern Report 2020) It uses [Mimikatz](https://attack.mitre.org/software/S0002).(Citation: Lantern Report 2020)(Citation: No URL Cite)\n\nSecond paragraph.',
      first_seen: '2015-03-01T00:00:00.000Z',
      modified: '2024-04-11T10:00:00.000Z',
      created: '2017-05-31T21:31:43.540Z',
      primary_motivation: 'espionage',
      x_mitre_domains: ['enterprise-attack'],
      external_references: [
        attack('groups', 'G9901'),
        {
          source_name: 'Lantern Report 2020',
          description: 'Example. (2020). Lantern.',
          url: 'https://example.com/lantern',
        },
        { source_name: 'No URL Cite', description: 'A book.' },
        { source_name: 'LANTERN-9', description: '(Citation: Lantern Report 2020)' },
      ],
    },
    {
      type: 'intrusion-set',
      id: REVOKED,
      name: 'Old Lantern',
      revoked: true,
      external_references: [attack('groups', 'G9902')],
    },
    {
      type: 'threat-actor',
      id: ACTOR,
      name: 'Brass Owl',
      aliases: ['Owl Team'],
      description: 'A threat actor from another STIX producer.',
      threat_actor_types: ['nation-state'],
      modified: '2023-01-02T00:00:00Z',
    },
    {
      type: 'attack-pattern',
      id: T_PHISH,
      name: 'Phishing',
      external_references: [attack('techniques', 'T1566')],
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
    },
    {
      type: 'attack-pattern',
      id: T_ATTACH,
      name: 'Spearphishing Attachment',
      x_mitre_is_subtechnique: true,
      external_references: [attack('techniques', 'T1566.001')],
      kill_chain_phases: [
        { kill_chain_name: 'mitre-attack', phase_name: 'initial-access' },
        { kill_chain_name: 'mitre-attack', phase_name: 'execution' },
      ],
    },
    {
      type: 'attack-pattern',
      id: T_OLD,
      name: 'Deprecated Technique',
      x_mitre_deprecated: true,
      external_references: [attack('techniques', 'T1999')],
    },
    // No ATT&CK id: what OpenCTI exports for a custom attack pattern.
    { type: 'attack-pattern', id: T_PLAIN, name: 'Custom Lure' },
    {
      type: 'tool',
      id: S_MIMI,
      name: 'Mimikatz',
      external_references: [attack('software', 'S0002')],
    },
    {
      type: 'malware',
      id: S_BAD,
      name: 'LanternRAT',
      external_references: [attack('software', 'S9901')],
    },
    {
      type: 'campaign',
      id: CAMPAIGN,
      name: 'Operation Wick',
      description: '[Copper Lantern](https://attack.mitre.org/groups/G9901) ran it.(Citation: X)',
      first_seen: '2019-02-01T05:00:00.000Z',
      last_seen: '2019-06-01T04:00:00.000Z',
      external_references: [attack('campaigns', 'C9901')],
    },
    { type: 'location', id: PLACE, name: 'Somewhere', country: 'KP' },
    { type: 'identity', id: SECTOR, name: 'Energy', identity_class: 'class' },
    rel(1, G, 'uses', T_PHISH),
    rel(2, G, 'uses', T_ATTACH),
    rel(3, G, 'uses', T_OLD), // the technique is deprecated
    rel(4, G, 'uses', T_PLAIN),
    rel(5, G, 'uses', S_MIMI),
    rel(6, G, 'uses', S_BAD, { revoked: true }), // a revoked relationship
    rel(7, G, 'uses', 'attack-pattern--aaaaaaaa-0000-4000-8000-00000000dead'), // not in the bundle
    rel(8, CAMPAIGN, 'attributed-to', G),
    rel(9, G, 'originates-from', PLACE),
    rel(10, G, 'targets', SECTOR),
    rel(11, ACTOR, 'uses', S_BAD),
    rel(12, S_MIMI, 'uses', T_PHISH), // software's own techniques are not the group's
    rel(13, REVOKED, 'uses', T_PHISH),
  ];
  return { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects };
}

/** The same bundle where the group has since been revoked. */
export function revokedBundle(): Obj {
  const bundle = smallBundle();
  const objects = bundle.objects as Obj[];
  bundle.objects = objects.map((o) => (o.id === G ? { ...o, revoked: true } : o));
  return bundle;
}

/**
 * One ATT&CK domain's bundle of the same group (ICS and Mobile carry Enterprise's groups, with
 * the same ids): one technique, in the kill chain `killChain`, at the tactic `phase`.
 */
export function domainBundle(killChain: string, techniqueId: string, phase: string): Obj {
  const technique = `attack-pattern--eeeeeeee-0000-4000-8000-${techniqueId.slice(1).padStart(12, '0')}`;
  const objects: Obj[] = [
    { type: 'x-mitre-collection', id: 'x-mitre-collection--2', name: `${killChain} ATT&CK` },
    {
      type: 'intrusion-set',
      id: G,
      name: 'Copper Lantern',
      aliases: ['Copper Lantern'],
      external_references: [attack('groups', 'G9901')],
    },
    {
      type: 'attack-pattern',
      id: technique,
      name: `Technique ${techniqueId}`,
      external_references: [{ ...attack('techniques', techniqueId), source_name: killChain }],
      kill_chain_phases: [{ kill_chain_name: killChain, phase_name: phase }],
    },
    rel(1, G, 'uses', technique),
  ];
  return { type: 'bundle', id: `bundle--${GROUP_UUID}`, objects };
}
