/**
 * SVG -> PNG with resvg (its prebuilt binary ships inside the npm package, so nothing is
 * downloaded at install time). Fonts: the first DejaVu/Liberation/Noto file found is loaded
 * directly instead of scanning every system font on each render, which costs tens of ms.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

let fontFiles: string[] | undefined;

function fonts(): string[] {
  fontFiles ??= FONT_CANDIDATES.filter((f) => existsSync(f)).slice(0, 1);
  return fontFiles;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function svgToPng(svg: string): Buffer {
  const files = fonts();
  const resvg = new Resvg(svg, {
    // Without a known font file, fall back to the system's (slower, but labels still show).
    font:
      files.length > 0 ? { loadSystemFonts: false, fontFiles: files } : { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
