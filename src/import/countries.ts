/**
 * Country names as ETDA Threat Group Cards write them ("USA", "UK", "South Korea").
 *
 * Choice: the names come from Intl.DisplayNames (the ICU/CLDR data bundled with Node), so every
 * ISO 3166 code is covered without a hand-written table of 250 rows; a short override table then
 * pins the ETDA spellings where CLDR's differ ("United States" -> "USA", "Türkiye" -> "Turkey",
 * "Czechia" -> "Czech"). The overrides also shield the cards from CLDR renaming a country in a
 * later Node release. A code Intl does not know is kept as written.
 */

/** ISO code -> the ETDA spelling, where it differs from CLDR's English name. */
const ETDA_NAMES: Record<string, string> = {
  US: 'USA',
  GB: 'UK',
  UK: 'UK',
  AE: 'UAE',
  CZ: 'Czech',
  TR: 'Turkey',
  MK: 'Macedonia',
  SZ: 'Swaziland',
  HK: 'Hong Kong',
  MO: 'Macao',
  MM: 'Myanmar',
  PS: 'Palestine',
  CI: "Cote d'Ivoire",
  CF: 'Central-African Republic',
  CG: 'Congo',
  CD: 'Democratic Republic of the Congo',
  VA: 'Vatican',
};

/** Other spellings seen in MISP and CFR data, lower-cased -> ISO code. */
const NAME_ALIASES: Record<string, string> = {
  'united states of america': 'US',
  us: 'US',
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  uk: 'GB',
  'great britain': 'GB',
  uae: 'AE',
  'russian federation': 'RU',
  'iran (islamic republic of)': 'IR',
  'islamic republic of iran': 'IR',
  'korea (republic of)': 'KR',
  'republic of korea': 'KR',
  'korea, republic of': 'KR',
  "korea (democratic people's republic of)": 'KP',
  "democratic people's republic of korea": 'KP',
  "korea, democratic people's republic of": 'KP',
  dprk: 'KP',
  "people's republic of china": 'CN',
  prc: 'CN',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  "côte d'ivoire": 'CI',
  'the philippines': 'PH',
  'viet nam': 'VN',
  'syrian arab republic': 'SY',
  'taiwan, province of china': 'TW',
  'hong kong sar china': 'HK',
  'macao sar china': 'MO',
  'palestinian territories': 'PS',
  'state of palestine': 'PS',
  'north macedonia': 'MK',
  eswatini: 'SZ',
  türkiye: 'TR',
  turkiye: 'TR',
  'myanmar (burma)': 'MM',
  burma: 'MM',
};

let displayNames: Intl.DisplayNames | undefined;
function intlName(code: string): string | undefined {
  try {
    displayNames ??= new Intl.DisplayNames('en', { type: 'region', fallback: 'code' });
    const name = displayNames.of(code);
    return name && name !== code && name !== 'Unknown Region' ? name : undefined;
  } catch {
    return undefined; // not a region code, or a Node built without ICU data
  }
}

/** CLDR's English name in ETDA's style: "&" spelled "and", "St." as "Saint". */
function etdaStyle(name: string): string {
  return name.replace(/ & /g, ' and ').replace(/^St\. /, 'Saint ');
}

/** "US" -> "USA", "KP" -> "North Korea", "DE" -> "Germany"; an unknown code is returned as is. */
export function countryFromCode(code: string): string {
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) return code.trim();
  const override = ETDA_NAMES[c];
  if (override) return override;
  const name = intlName(c);
  return name ? etdaStyle(name) : code.trim();
}

const key = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/\u2019/g, "'");

/** Every two-letter code CLDR names a region for, with that English name, A-Z order. */
function* regionCodes(): Generator<[code: string, name: string]> {
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      const name = intlName(code);
      if (name) yield [code, name];
    }
  }
}

let byName: Map<string, string> | undefined;
function nameTable(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const [code, name] of regionCodes()) {
    const etda = countryFromCode(code);
    // First code wins: "GB" (United Kingdom -> UK) before the reserved "UK".
    if (!byName.has(key(name))) byName.set(key(name), etda);
    if (!byName.has(key(etda))) byName.set(key(etda), etda);
  }
  for (const [alias, code] of Object.entries(NAME_ALIASES)) {
    byName.set(key(alias), countryFromCode(code));
  }
  return byName;
}

/**
 * A country written as a name ("United States", "Russian Federation", "Korea (Republic of)")
 * in ETDA's spelling ("USA", "Russia", "South Korea"). Anything else (a region, an
 * organisation such as "NATO" or "Bank of America") is returned as written.
 */
export function countryFromName(name: string): string {
  return nameTable().get(key(name)) ?? name.trim();
}

let codeByName: Map<string, string> | undefined;

/**
 * The ISO 3166-1 alpha-2 code of a country written as a name in any spelling the cards or the
 * public catalogs use ("USA", "United States", "UK", "South Korea", "Czech"), or undefined for
 * what is not a country ("NATO", "Worldwide", "[Unknown]").
 */
export function countryCode(name: string): string | undefined {
  if (!codeByName) {
    codeByName = new Map();
    for (const [code, cldr] of regionCodes()) {
      // First code wins, as in nameTable: "GB" before the reserved "UK".
      for (const n of [cldr, countryFromCode(code)]) {
        if (!codeByName.has(key(n))) codeByName.set(key(n), code);
      }
    }
    for (const [alias, code] of Object.entries(NAME_ALIASES)) codeByName.set(key(alias), code);
  }
  return codeByName.get(key(name));
}
