/**
 * The help text, written once; every renderer lays it out in its own format.
 * `{cmd}` stands for how the platform invokes the bot ("/apt", "apt").
 */
export interface HelpSection {
  title: string;
  lines: string[];
}

export const HELP_INTRO =
  'aptcard answers "who is this threat actor?" from its catalog of actor cards.';

export const HELP_SECTIONS: HelpSection[] = [
  {
    title: 'Look up an actor',
    lines: [
      '{cmd} hammer panda: any name or alias, in any spelling ("APT21", "apt-21", "APT 21")',
      '{cmd} 8650e8c5-55a5-4441-8903-0f2bf5753ef1: a card by UUID',
      '{cmd} status: how many actors, from which sources, and how recent the data is',
    ],
  },
  {
    title: 'Filter the catalog',
    lines: [
      '{cmd} country:china sector:"oil and gas": actors from China that target oil and gas',
      '{cmd} target:ukraine since:2022: actors with operations against Ukraine since 2022',
      '{cmd} tool:plugx, motivation:espionage, sponsor:state, until:2015-06',
      '{cmd} technique:T1566 tactic:initial-access: ATT&CK techniques (T1566 includes T1566.001) and tactics',
      'Filters combine; quote values that contain spaces; text and filters mix: {cmd} ransomware country:russia',
    ],
  },
  {
    title: 'In chat',
    lines: [
      'Mention the bot: "@aptcard who is TEMP.Zhenbao?"',
      'When an actor name appears in a channel message, a short card is posted in the thread.',
      'In a channel, {cmd} settings shows its automatic cards (on or off, cooldown, muted names) and lets admins change them.',
    ],
  },
];

export function helpLines(cmd: string): HelpSection[] {
  return HELP_SECTIONS.map((s) => ({
    ...s,
    lines: s.lines.map((l) => l.replaceAll('{cmd}', cmd)),
  }));
}
