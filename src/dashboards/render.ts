/**
 * Server-side pictures: Vega-Lite -> Vega -> SVG through vega's headless View, then SVG -> PNG through
 * resvg (native binary shipped in the npm package, no browser needed).
 */
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VlSpec } from './catalog.js';
import { CJK_FONT_FAMILY, LATIN_FONT_FAMILY, type ReportFonts } from './fonts.js';

/**
 * Compile notes from Vega-Lite (e.g. about unioned facet domains) concern the spec files, which the
 * tests validate; printing them every night would bury real warnings, so only errors pass.
 */
const compileLogger = vega.logger(vega.Error);

export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec, { logger: compileLogger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes font-family "sans-serif"; that family and the default map onto the Latin face when there
 * is one (fast shaping), and resvg falls back to the CJK font for Chinese glyphs. No fonts at all:
 * system fonts only (Chinese may not render; the caller warns).
 */
export function pngRenderOptions(fonts: ReportFonts): ResvgRenderOptions {
  const files = [fonts.latin, fonts.cjk].filter((f): f is string => Boolean(f));
  const primary = fonts.latin ? LATIN_FONT_FAMILY : CJK_FONT_FAMILY;
  return {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: fonts.cjk
      ? { fontFiles: files, loadSystemFonts: false, defaultFontFamily: primary, sansSerifFamily: primary }
      : { loadSystemFonts: true },
  };
}

/**
 * Rasterised on libuv's thread pool: each picture loads and shapes with the fonts for about half a second,
 * so a report's pictures are rendered side by side rather than one after another on the main thread.
 */
export async function svgToPng(svg: string, fonts: ReportFonts): Promise<Buffer> {
  return (await renderAsync(svg, pngRenderOptions(fonts))).asPng();
}
