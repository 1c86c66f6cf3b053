/** Rewrites the generated blocks of README.md (the config reference) from the code that defines them. */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference } from '../src/config.js';

export function withConfigReference(readme: string): string {
  return readme.replace(
    /(<!-- config:begin -->)[\s\S]*?(<!-- config:end -->)/,
    (_m, begin: string, end: string) => `${begin}\n${configReference()}\n${end}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('README.md', withConfigReference(readFileSync('README.md', 'utf8')));
}
