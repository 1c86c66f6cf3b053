/**
 * PNGs are rasterised without a browser, so the CJK font must be handed to the rasteriser explicitly:
 * without one, Chinese labels become empty boxes. Debian's fonts-noto-cjk is the default source.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CJK_FONT_FAMILY = 'Noto Sans CJK SC';
export const LATIN_FONT_FAMILY = 'DejaVu Sans';
export const FONT_SEARCH_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];
const PREFERRED = ['NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular.otf', 'NotoSansSC-Regular.otf'];

/**
 * The fonts the PNG rasteriser gets. Shaping every label with the 20 MB CJK collection costs seconds
 * per chart, so a small Latin face (Debian's DejaVu Sans, present wherever fontconfig is) comes first
 * and the CJK font serves as the fallback for the glyphs the Latin face lacks.
 */
export interface ReportFonts {
  cjk?: string;
  latin?: string;
}

function filesUnder(dir: string, depth = 4): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) out.push(...filesUnder(path, depth - 1));
    else out.push(path);
  }
  return out;
}

/** The first preferred CJK sans font, else any Noto CJK sans font. */
function cjkAmong(files: string[]): string | undefined {
  for (const name of PREFERRED) {
    const hit = files.find((f) => f.endsWith('/' + name));
    if (hit) return hit;
  }
  return files.find((f) => /NotoSans.*CJK|NotoSansSC/i.test(f));
}

export function findReportFonts(dirs: readonly string[] = FONT_SEARCH_DIRS): ReportFonts {
  const files = dirs.flatMap((d) => filesUnder(d)).sort();
  return { cjk: cjkAmong(files), latin: files.find((f) => f.endsWith('/DejaVuSans.ttf')) };
}
