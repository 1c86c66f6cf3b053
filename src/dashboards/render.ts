/**
 * Server-side pictures: Vega-Lite -> Vega -> SVG through vega's headless View, then SVG -> PNG through
 * resvg (native binary shipped in the npm package, no browser needed).
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VlSpec } from './catalog.js';
import { CJK_FONT_FAMILY } from './fonts.js';

export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes font-family "sans-serif"; mapping that family (and the default) onto the CJK font makes
 * Latin and Chinese labels render with one face. `fontFile` undefined: system fonts only (Chinese may
 * not render; the caller warns).
 */
export function pngRenderOptions(fontFile: string | undefined): ResvgRenderOptions {
  return {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: fontFile
      ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CJK_FONT_FAMILY, sansSerifFamily: CJK_FONT_FAMILY }
      : { loadSystemFonts: true },
  };
}

export function svgToPng(svg: string, fontFile: string | undefined): Buffer {
  return new Resvg(svg, pngRenderOptions(fontFile)).render().asPng();
}
