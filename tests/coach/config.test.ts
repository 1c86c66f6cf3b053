import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coachingSettings } from '../../src/coach/coach.js';
import { loadConfig } from '../../src/config.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'csqa-coach-config-'));

describe('coach settings', () => {
  it('defaults to the documented minimums and Chinese plans', () => {
    const config = loadConfig({ env: {}, cwd: cwd() });
    expect(config.coach).toMatchObject({ minConversations: 30, minMetricSample: 5, peerMinAgents: 3, language: 'zh', maxEvidence: 3, maxExemplars: 2 });
    expect(coachingSettings(config, 'en').language).toBe('en');
  });

  it('reads the environment and rejects unsupported values', () => {
    expect(loadConfig({ env: { CSQA_COACH_LANGUAGE: 'en', CSQA_COACH_MIN_CONVERSATIONS: '50' }, cwd: cwd() }).coach).toMatchObject({ language: 'en', minConversations: 50 });
    expect(() => loadConfig({ env: { CSQA_COACH_LANGUAGE: 'fr' }, cwd: cwd() })).toThrow(/"coach.language" must be "zh" or "en"/);
    expect(() => loadConfig({ env: { CSQA_COACH_CONFIDENCE: '1' }, cwd: cwd() })).toThrow(/coach.confidence/);
  });
});
