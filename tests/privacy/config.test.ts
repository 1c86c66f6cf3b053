import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReference, loadConfig } from '../../src/config.js';

const cwd = mkdtempSync(join(tmpdir(), 'csqa-privacy-config-'));

describe('privacy settings', () => {
  it('redact by default and keep 180 days', () => {
    expect(loadConfig({ env: {}, cwd }).privacy).toEqual({ redact: true, retentionDays: 180 });
  });

  it('read from the environment and validated', () => {
    const config = loadConfig({ env: { CSQA_PRIVACY_REDACT: 'false', CSQA_PRIVACY_RETENTION_DAYS: '30' }, cwd });
    expect(config.privacy).toEqual({ redact: false, retentionDays: 30 });
    expect(() => loadConfig({ env: { CSQA_PRIVACY_RETENTION_DAYS: '0' }, cwd })).toThrow(/greater than 0/);
    expect(() => loadConfig({ env: { CSQA_PRIVACY_REDACT: 'maybe' }, cwd })).toThrow(/true or false/);
  });

  it('documented in the reference', () => {
    expect(configReference()).toContain('`privacy.redact` | `CSQA_PRIVACY_REDACT` | `true`');
    expect(configReference()).toContain('`privacy.retentionDays` | `CSQA_PRIVACY_RETENTION_DAYS` | `180`');
  });
});
