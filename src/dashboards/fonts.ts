/**
 * PNGs are rasterised without a browser, so the CJK font must be handed to the rasteriser explicitly:
 * without one, Chinese labels become empty boxes. Debian's fonts-noto-cjk is the default source.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CJK_FONT_FAMILY = 'Noto Sans CJK SC';
export const FONT_SEARCH_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];
const PREFERRED = ['NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular.otf', 'NotoSansSC-Regular.otf'];

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

/** The first preferred CJK sans font found, else any Noto CJK font, else undefined. */
export function findCjkFont(dirs: readonly string[] = FONT_SEARCH_DIRS): string | undefined {
  const files = dirs.flatMap((d) => filesUnder(d)).sort();
  for (const name of PREFERRED) {
    const hit = files.find((f) => f.endsWith('/' + name));
    if (hit) return hit;
  }
  return files.find((f) => /NotoSans.*CJK|NotoSansSC/i.test(f));
}
