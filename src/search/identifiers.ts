/**
 * Identifiers are looked up, never searched: "G0007" one edit from "CTG-0007" is not a typo of
 * it, and a UUID one character off is another record. A query that is an identifier answers
 * exactly when the catalog has it, and otherwise says that no card has that id.
 */

export type IdentifierKind =
  | 'attack-group'
  | 'attack-software'
  | 'attack-technique'
  | 'attack-campaign'
  | 'attack-mitigation'
  | 'uuid';

export interface Identifier {
  kind: IdentifierKind;
  /** As the catalog would write it: "G0007", "T1566.001", a lower-case UUID. */
  id: string;
}

const ATTACK_RE = /^([GSTCM])(\d{4})(?:\.(\d{3}))?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ATTACK_KINDS: Record<string, IdentifierKind> = {
  G: 'attack-group',
  S: 'attack-software',
  T: 'attack-technique',
  C: 'attack-campaign',
  M: 'attack-mitigation',
};

/** The identifier the whole query is, if it is one (sub-techniques only for T ids). */
export function identifierOf(text: string): Identifier | undefined {
  const q = text.normalize('NFKC').trim();
  const lower = q.toLowerCase();
  if (UUID_RE.test(lower)) return { kind: 'uuid', id: lower };
  const m = ATTACK_RE.exec(q.toUpperCase());
  if (!m) return undefined;
  const letter = m[1] ?? '';
  if (m[3] !== undefined && letter !== 'T') return undefined;
  const kind = ATTACK_KINDS[letter];
  return kind ? { kind, id: m[0] } : undefined;
}

/** "ATT&CK group id G0007", "UUID 8650e8c5-...", for "no card has ..." lines. */
export function describeIdentifier(identifier: Identifier): string {
  switch (identifier.kind) {
    case 'attack-group':
      return `the ATT&CK group id ${identifier.id}`;
    case 'attack-software':
      return `the ATT&CK software id ${identifier.id}`;
    case 'attack-technique':
      return `the ATT&CK technique id ${identifier.id}`;
    case 'attack-campaign':
      return `the ATT&CK campaign id ${identifier.id}`;
    case 'attack-mitigation':
      return `the ATT&CK mitigation id ${identifier.id}`;
    case 'uuid':
      return `the UUID ${identifier.id}`;
  }
}
