import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReference, envName, loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-config-'));
  const path = join(dir, 'csqa.config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('config', () => {
  it('uses documented defaults when nothing is given', () => {
    const config = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'csqa-empty-')) });
    expect(config.db).toBe('./csqa.duckdb');
    expect(config.ingest.quarantineThreshold).toBe(0.05);
    expect(config.report.timezone).toBe('UTC');
  });

  it('applies flag > environment > file > default', () => {
    const file = configFile({ db: 'file.duckdb', ingest: { timezone: 'Asia/Shanghai', maxTextChars: 100 } });
    const config = loadConfig({
      file,
      env: { CSQA_INGEST_TIMEZONE: 'Europe/Paris', CSQA_DB: 'env.duckdb' },
      flags: { db: 'flag.duckdb' },
    });
    expect(config.db).toBe('flag.duckdb');
    expect(config.ingest.timezone).toBe('Europe/Paris');
    expect(config.ingest.maxTextChars).toBe(100);
  });

  it('names the key and the expectation on bad values', () => {
    const file = configFile({ ingest: { quarantineThreshold: 'lots' } });
    expect(() => loadConfig({ file, env: {} })).toThrow(/"ingest.quarantineThreshold" must be a number, got "lots"/);
    const tz = configFile({ report: { timezone: 'Mars/Olympus' } });
    expect(() => loadConfig({ file: tz, env: {} })).toThrow(/report.timezone.*IANA time zone/);
    const roles = configFile({ ingest: { roles: { end_user: 'client' } } });
    expect(() => loadConfig({ file: roles, env: {} })).toThrow(/values among customer, bot, agent, system/);
  });

  it('rejects unknown keys with a suggestion instead of ignoring them', () => {
    const file = configFile({ ingest: { timeZone: 'UTC' } });
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown setting "ingest.timeZone" \(did you mean "ingest.timezone"\?\)/);
  });

  it('reports broken JSON with the file name', () => {
    const file = configFile('{"db": ');
    expect(() => loadConfig({ file, env: {} })).toThrow(new RegExp(`config file ${file}: not valid JSON`));
  });

  it('parses environment values by type', () => {
    const config = loadConfig({
      env: { CSQA_INPUTS: 'a.jsonl, b.csv', CSQA_INGEST_ROLES: '{"robot":"bot"}', CSQA_INGEST_MAX_TEXT_CHARS: '50' },
      cwd: mkdtempSync(join(tmpdir(), 'csqa-empty-')),
    });
    expect(config.inputs).toEqual(['a.jsonl', 'b.csv']);
    expect(config.ingest.roles).toEqual({ robot: 'bot' });
    expect(config.ingest.maxTextChars).toBe(50);
    expect(() => loadConfig({ env: { CSQA_INGEST_MAX_TEXT_CHARS: '1.5' } })).toThrow(/whole number/);
  });

  it('documents every key with its environment variable', () => {
    expect(envName('ingest.quarantineThreshold')).toBe('CSQA_INGEST_QUARANTINE_THRESHOLD');
    expect(configReference()).toContain('`CSQA_REPORT_TIMEZONE`');
  });
});
