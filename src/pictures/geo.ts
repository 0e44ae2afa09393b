/**
 * Country shapes for the targets map: Natural Earth 1:110m from `world-atlas`, decoded once with
 * `topojson-client` and keyed by ISO 3166-1 alpha-2 code.
 *
 * Why alpha-2 and not the atlas's numeric ids: card country names already map to ISO codes
 * through the importers' table (Intl.DisplayNames plus pinned ETDA spellings), and the atlas
 * leaves some shapes without an id (Kosovo, Somaliland, N. Cyprus); its own short names
 * ("Dem. Rep. Congo") go through the same table after the few pins below.
 */
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryCode } from '../import/countries.js';

/** Atlas names that neither CLDR nor the importers' table spell this way. */
const ATLAS_NAMES: Record<string, string> = {
  'Dem. Rep. Congo': 'CD',
  'Central African Rep.': 'CF',
  'Dominican Rep.': 'DO',
  'Eq. Guinea': 'GQ',
  'Bosnia and Herz.': 'BA',
  'S. Sudan': 'SS',
  'Solomon Is.': 'SB',
  'Falkland Is.': 'FK',
  'W. Sahara': 'EH',
  'Fr. S. Antarctic Lands': 'TF',
  'Fr. Polynesia': 'PF',
  'N. Mariana Is.': 'MP',
  'U.S. Virgin Is.': 'VI',
  'British Virgin Is.': 'VG',
  'Cayman Is.': 'KY',
  'Faeroe Is.': 'FO',
  'Marshall Is.': 'MH',
  'Cook Is.': 'CK',
  'Turks and Caicos Is.': 'TC',
  'Heard I. and McDonald Is.': 'HM',
  'S. Geo. and the Is.': 'GS',
  'Br. Indian Ocean Ter.': 'IO',
  'St. Pierre and Miquelon': 'PM',
  'St. Vin. and Gren.': 'VC',
  'St. Kitts and Nevis': 'KN',
  'Antigua and Barb.': 'AG',
  'São Tomé and Principe': 'ST',
  'Wallis and Futuna Is.': 'WF',
  'Pitcairn Is.': 'PN',
  'Ashmore and Cartier Is.': 'AU',
  'Indian Ocean Ter.': 'AU',
  'Siachen Glacier': 'IN',
  eSwatini: 'SZ',
  Kosovo: 'XK',
  'N. Cyprus': 'CY',
  Somaliland: 'SO',
  'St-Barthélemy': 'BL',
  'St-Martin': 'MF',
  'Sint Maarten': 'SX',
  Curaçao: 'CW',
  Åland: 'AX',
};

export interface CountryShape {
  code: string;
  name: string;
  feature: Feature<Geometry>;
}

let shapes: CountryShape[] | undefined;

type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

function atlas(scale: '110m' | '50m'): CountriesTopology {
  const require = createRequire(import.meta.url);
  return require(`world-atlas/countries-${scale}.json`) as CountriesTopology;
}

function codeOf(name: string): string | undefined {
  return ATLAS_NAMES[name] ?? countryCode(name);
}

let smallCountries: Map<string, Feature<Geometry>> | undefined;

/**
 * A country too small for the 1:110m shapes (Singapore, Hong Kong, Bahrain, Malta): its 1:50m
 * shape, so the map can at least put a dot where it is. Only the shapes asked for are decoded.
 */
export function smallCountryShape(code: string): Feature<Geometry> | undefined {
  if (!smallCountries) {
    smallCountries = new Map();
    const onBase = new Set(countryShapes().map((s) => s.code));
    const topology = atlas('50m');
    for (const geometry of topology.objects.countries.geometries) {
      const props = geometry.properties as { name?: string } | undefined;
      const c = codeOf(props?.name ?? '');
      if (c && !onBase.has(c) && !smallCountries.has(c)) {
        smallCountries.set(c, feature(topology, geometry) as Feature<Geometry>);
      }
    }
  }
  return smallCountries.get(code);
}

/** Every shape of the atlas that maps to a country code, in the atlas's order. */
export function countryShapes(): readonly CountryShape[] {
  if (shapes) return shapes;
  // 1:110m: drawing and rasterising the 1:50m shapes took 10x longer for no visible gain.
  const topology = atlas('110m');
  const collection = feature(topology, topology.objects.countries) as FeatureCollection<
    Geometry,
    { name: string }
  >;
  shapes = [];
  for (const f of collection.features) {
    const name = f.properties?.name ?? '';
    const code = codeOf(name);
    if (code) shapes.push({ code, name, feature: f });
  }
  return shapes;
}
