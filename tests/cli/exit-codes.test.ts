import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const env = { ...process.env, CSQA_CONFIG: undefined, FORCE_COLOR: '0' };

function csqa(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('csqa exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-cli-'));

  it('exits 4 naming the file when quarantine exceeds the threshold, after printing the summary', () => {
    const db = join(dir, 'a.duckdb');
    const r = csqa(['--db', db, '-c', 'fixtures/configs/edge.json', 'ingest', 'fixtures/edge']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/fixtures\/edge\/messages\.jsonl\s+loaded\s+18\s+9\s+2\s+7/);
    expect(r.stderr).toContain('fixtures/edge/messages.jsonl: 7 of 18 rows');
  });

  it('exits 0 when the threshold allows it, and a re-run loads nothing new', () => {
    const db = join(dir, 'b.duckdb');
    const args = ['--db', db, '-c', 'fixtures/configs/edge.json', 'ingest', '--quarantine-threshold', '0.5', 'fixtures/edge'];
    expect(csqa(args).code).toBe(0);
    const again = csqa([...args, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals).toMatchObject({ rowsLoaded: 0, rowsRead: 31 });
  });

  it('exits 2 with the key and the expectation on bad configuration', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ingest: { quarantineThreshold: 'high' } }));
    const r = csqa(['-c', file, 'ingest', 'fixtures/edge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"ingest.quarantineThreshold" must be a number, got "high"');
  });

  it('exits 2 when score, metrics, report or coach are pointed at a database that does not exist, creating none', () => {
    const typo = join(dir, 'typo.duckdb');
    for (const command of ['score', 'metrics', 'report', 'coach']) {
      const r = csqa(['--db', typo, command]);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toContain(`${command}: database ${typo} does not exist`);
      expect(existsSync(typo), command).toBe(false);
    }
  });

  it('exits 3 when an input cannot be found', () => {
    const r = csqa(['--db', join(dir, 'c.duckdb'), 'ingest', 'no/such/file.jsonl']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no/such/file.jsonl: no such file or folder');
  });

  it('exits 6 when another process holds the database', async () => {
    const db = join(dir, 'locked.duckdb');
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('./src/db/database.ts').then(async (m) => { await m.openDatabase(${JSON.stringify(db)}); console.log('held'); setInterval(() => {}, 1000); })`],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        holder.on('exit', () => reject(new Error('holder exited early')));
      });
      const r = csqa(['--db', db, 'ingest', 'fixtures/edge/nested.json']);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/in use by another process/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
