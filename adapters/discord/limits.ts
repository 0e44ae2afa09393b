/** Discord's documented limits (characters are counted as JS string length: conservative). */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of title, description, field names and values, footer text, over all embeds. */
  total: 6000,
  embeds: 10,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  /** A link button's URL. */
  buttonUrl: 512,
  selectOptions: 25,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  placeholder: 150,
  content: 2000,
  attachmentDescription: 1024,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;
