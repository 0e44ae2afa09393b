/** Embed colours: one per answer kind, and for a card, its actor's country of origin. */
export const COLOURS = {
  brand: 0x5865f2,
  error: 0xed4245,
  ambiguous: 0xfee75c,
  none: 0x99aab5,
  list: 0x3498db,
} as const;

/** Country of origin -> embed colour, so a glance tells the usual suspects apart. */
const COUNTRY_COLOURS: Record<string, number> = {
  china: 0xde2910,
  russia: 0x1f5fbf,
  iran: 0x239f40,
  'north korea': 0x9b59b6,
  vietnam: 0xffcd00,
  india: 0xff9933,
  pakistan: 0x01411c,
  israel: 0x0038b8,
  usa: 0x3c3b6e,
  '[unknown]': 0x95a5a6,
};

export function countryColour(countries: readonly string[]): number {
  const first = countries[0]?.trim().toLowerCase();
  return (first && COUNTRY_COLOURS[first]) || COLOURS.brand;
}
