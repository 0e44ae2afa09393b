/**
 * The targets map: a world choropleth with the targeted countries filled and the country of
 * origin outlined in its own colour, drawn as SVG with d3-geo (Equal Earth projection, so
 * areas compare fairly) and turned into PNG elsewhere.
 */
import {
  type GeoPath,
  type GeoPermissibleObjects,
  type GeoProjection,
  geoArea,
  geoCentroid,
  geoEqualEarth,
  geoPath,
} from 'd3-geo';
import { countryCode } from '../import/countries.js';
import { countryShapes, smallCountryShape } from './geo.js';
import { escapeXml } from './svg.js';

export const MAP_COLORS = {
  ocean: '#eef3f7',
  land: '#d9dde1',
  border: '#ffffff',
  target: '#d1495b',
  origin: '#2e6f9e',
  originAndTarget: '#7b3f8c',
} as const;

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 500;
/** Countries smaller than this on the map (in square pixels) also get a dot, so they show. */
const DOT_BELOW_PX = 30;

export interface MapInput {
  /** Country of origin, as the card writes it. */
  origin: readonly string[];
  /** Targeted countries, as the card writes them. */
  targets: readonly string[];
}

export interface MapPicture {
  /** The whole map as one SVG document. */
  svg: string;
  /** Names that map to no country on the atlas ("Worldwide", "Middle East", "NATO"). */
  notOnMap: string[];
  /** How many targeted countries were filled. */
  filled: number;
}

function codes(names: readonly string[], notOnMap: string[]): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const code = countryCode(name);
    if (code) out.add(code);
    else if (name.trim() && !/^\[?unknown\]?$/i.test(name.trim())) notOnMap.push(name.trim());
  }
  return out;
}

function colorOf(isTarget: boolean, isOrigin: boolean): string {
  if (isTarget) return isOrigin ? MAP_COLORS.originAndTarget : MAP_COLORS.target;
  return MAP_COLORS.origin;
}

function dot([x, y]: [number, number], fill: string): string {
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${fill}" stroke="#fff"/>`;
}

function legend(): string {
  const y = MAP_HEIGHT - 22;
  const item = (x: number, fill: string, label: string) =>
    `<rect x="${x}" y="${y}" width="12" height="12" fill="${fill}"/><text x="${x + 17}" y="${y + 11}">${escapeXml(label)}</text>`;
  return `<g font-family="DejaVu Sans, Arial, sans-serif" font-size="13" fill="#374151">${item(16, MAP_COLORS.target, 'targeted')}${item(106, MAP_COLORS.origin, 'origin')}</g>`;
}

interface Base {
  projection: GeoProjection;
  path: GeoPath<unknown, GeoPermissibleObjects>;
  /** Each shape's path string, in countryShapes() order; the projection never changes. */
  paths: string[];
}
let base: Base | undefined;

function basePaths(): Base {
  if (base) return base;
  const projection = geoEqualEarth().fitExtent(
    [
      [8, 8],
      [MAP_WIDTH - 8, MAP_HEIGHT - 8],
    ],
    { type: 'Sphere' },
  );
  // One decimal is a tenth of a pixel: finer digits only make the SVG longer to write and read.
  const path = geoPath(projection).digits(1);
  base = { projection, path, paths: countryShapes().map((s) => path(s.feature) ?? '') };
  return base;
}

function svgDocument(body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}">${body}</svg>`;
}

/** Ocean, every country in the land colour, and the legend: the same under every actor's map. */
function baseLayer(): string {
  const { path, paths } = basePaths();
  return [
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<path d="${path({ type: 'Sphere' }) ?? ''}" fill="${MAP_COLORS.ocean}"/>`,
    `<path d="${paths.join('')}" fill="${MAP_COLORS.land}" stroke="${MAP_COLORS.border}" stroke-width="0.5"/>`,
    legend(),
  ].join('');
}

/** Where a longitude/latitude lands on the map, in pixels (for tests and image maps). */
export function mapPoint(lon: number, lat: number): [number, number] | null {
  return basePaths().projection([lon, lat]);
}

export function mapSvg(input: MapInput): MapPicture {
  const notOnMap: string[] = [];
  const targets = codes(input.targets, notOnMap);
  const origin = codes(input.origin, notOnMap);
  const shapes = countryShapes();
  const onAtlas = new Set(shapes.map((s) => s.code));
  const { projection, path, paths } = basePaths();
  const marked: string[] = [];
  const dots: string[] = [];
  let filled = 0;
  for (const [i, shape] of shapes.entries()) {
    const d = paths[i];
    if (!d) continue;
    const isTarget = targets.has(shape.code);
    const isOrigin = origin.has(shape.code);
    if (!isTarget && !isOrigin) continue;
    if (isTarget) filled++;
    const fill = colorOf(isTarget, isOrigin);
    marked.push(`<path d="${d}" fill="${fill}"/>`);
    if (path.area(shape.feature) < DOT_BELOW_PX && geoArea(shape.feature) > 0) {
      const point = projection(geoCentroid(shape.feature));
      if (point) dots.push(dot(point, fill));
    }
  }
  const { projection: project } = basePaths();
  for (const code of new Set([...targets, ...origin])) {
    if (onAtlas.has(code)) continue;
    const small = smallCountryShape(code);
    const point = small && project(geoCentroid(small));
    if (!point) {
      notOnMap.push(code);
      continue;
    }
    if (targets.has(code)) filled++;
    dots.push(dot(point, colorOf(targets.has(code), origin.has(code))));
  }
  const marks = [
    `<g stroke="${MAP_COLORS.border}" stroke-width="0.5">${marked.join('')}</g>`,
    dots.join(''),
    `<title>${escapeXml(`Targeted countries: ${filled}`)}</title>`,
  ].join('');
  const svg = svgDocument(`${baseLayer()}${marks}`);
  return { svg, notOnMap: [...new Set(notOnMap)], filled };
}
