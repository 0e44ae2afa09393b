/** Block Kit's limits (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

/** Editorial budgets, tighter than the limits so a card stays readable. */
export const BUDGET = {
  field: 900,
  /** A fact on the first screen, which is read at a glance. */
  glance: 300,
  aliases: 1500,
  descriptionSections: 3,
  opTitle: 300,
  opText: 900,
  opSources: 5,
  counterOperations: 3,
  /** Sections of the other sources' descriptions on a full card. */
  otherDescriptions: 2,
  /** Sections of techniques (one per tactic) and of references on their own parts. */
  partSections: 20,
  /** Link buttons to the sources' pages. */
  sourceLinks: 5,
  candidates: 20,
  suggestions: 10,
  related: 20,
  /** The notification text that goes with the blocks. */
  fallback: 1000,
} as const;
