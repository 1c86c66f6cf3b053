import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withConfigReference } from '../scripts/update-readme.js';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('documents every setting exactly as src/config.ts defines it (run `npm run docs` to refresh)', () => {
    expect(readme).toBe(withConfigReference(readme));
    expect(readme).toContain('| `ingest.quarantineThreshold` | `CSQA_INGEST_QUARANTINE_THRESHOLD` |');
  });

  it('opens with the install-and-run command and the test command, and CI runs the same test command', () => {
    const firstBlock = readme.split('```bash\n')[1]!.split('```')[0]!;
    expect(firstBlock).toContain('ONNXRUNTIME_NODE_INSTALL=skip npm ci && npm run demo');
    expect(firstBlock).toContain('npm test');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test$/m);
  });
});
