/**
 * Server-side pictures: Vega-Lite -> Vega -> SVG through vega's headless View, then SVG -> PNG through
 * resvg (native binary shipped in the npm package, no browser needed).
 */
import { Resvg } from '@resvg/resvg-js';
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

/** `fontFile` undefined: system fonts only (Chinese may not render; the caller warns). */
export function svgToPng(svg: string, fontFile: string | undefined): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: fontFile
      ? {
          fontFiles: [fontFile],
          loadSystemFonts: false,
          defaultFontFamily: CJK_FONT_FAMILY,
          sansSerifFamily: CJK_FONT_FAMILY,
        }
      : { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
