/**
 * Redaction throughput on mixed customer-service text (Chinese, English, emoji; most lines without
 * personal data, some with near-misses, some with PII). Run: `npx tsx bench/redact.ts [texts]`.
 * Default 2,000,000 texts (the canned-template clustering path) plus 100,000 (what csqa writes out).
 * `benchRedact` is exported for bench/run.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { redact } from '../src/privacy/redact.js';
import { registerPrivacyFunctions } from '../src/privacy/sqlFunctions.js';

const PLAIN = [
  '您好，请问有什么可以帮您？',
  '亲，这边帮您查询一下，请稍等哦~',
  '我要投诉！你们的客服一直在踢皮球 😡',
  '好的，谢谢，问题已经解决了👍',
  'Hi, I still have not received my refund.',
  'Sorry for the inconvenience, our agents are busy right now.',
  '请在APP内自助办理，路径：我的-订单-申请售后',
  'Can I talk to a human please? This bot is useless',
  '非常抱歉给您带来不便，我们会尽快处理',
  '您的订单[订单x]已发货，共[数字x]件',
];
const NEAR_MISS = [
  '这件衣服¥{p}.00，运费$5，一共{q}件',
  '预计2026-11-{d} 14:{m}送达',
  'I ordered {q} items for ${p}.50 at 09:{m}',
  '满{p}减30，优惠券明天{q}点生效',
  '工号{w}为您服务',
];
const PERSONAL = [
  '我的手机是1{a}{n8}，麻烦回电',
  '退款到银行卡6222 0212 3456 7894就行',
  '身份证号11010519491231002X请核对',
  'email me at user{w}@example.com',
  '订单号：2026{n8}{w} 一直没发货',
  '收货地址：上海市浦东新区张江路{q}号3栋501室',
  'call +1 (415) 555-0{w3}',
  '登录IP是192.168.{q}.{m}',
  '重置链接 https://account.example.com/reset?token=ab{w}cd',
];

/** Deterministic generator (LCG) so every run measures the same texts. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

export function mixedTexts(count: number, seed = 42): string[] {
  const next = generator(seed);
  const fill = (template: string) =>
    template
      .replace('{p}', String(10 + next(990)))
      .replace('{q}', String(1 + next(99)))
      .replace('{d}', String(10 + next(19)))
      .replace('{m}', String(10 + next(49)))
      .replace('{w}', String(1000 + next(8999)))
      .replace('{w3}', String(100 + next(899)))
      .replace('{a}', String(3 + next(7)))
      .replace('{n8}', String(10_000_000 + next(89_999_999)).padStart(9, '0'));
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = next(100);
    const pool = r < 60 ? PLAIN : r < 85 ? NEAR_MISS : PERSONAL;
    texts.push(fill(pool[next(pool.length)]!));
  }
  return texts;
}

export interface RedactBenchResult {
  texts: number;
  /** Wall-clock seconds (shared machines inflate it). */
  seconds: number;
  /** CPU seconds of this process: the cost the nightly run pays, independent of other load. */
  cpuSeconds: number;
  textsPerSecond: number;
  megabytesPerSecond: number;
  changed: number;
}

/** Redacts `count` texts cycling over a pool of distinct ones (keeps memory flat at millions). */
export function benchRedact(count: number, poolSize = Math.min(count, 200_000)): RedactBenchResult {
  const pool = mixedTexts(poolSize);
  const poolChars = pool.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  for (let i = 0; i < Math.min(poolSize, 20_000); i++) redact(pool[i]!); // warm-up (JIT, regex compile)
  let changed = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const text = pool[i % poolSize]!;
    if (redact(text) !== text) changed++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = (poolChars / poolSize) * count;
  return {
    texts: count,
    seconds,
    cpuSeconds,
    textsPerSecond: count / cpuSeconds,
    megabytesPerSecond: bytes / 1e6 / cpuSeconds,
    changed,
  };
}

function show(label: string, r: RedactBenchResult): void {
  console.log(
    `${label}: ${r.texts.toLocaleString('en')} texts in ${r.cpuSeconds.toFixed(2)} s CPU (${r.seconds.toFixed(2)} s wall) = ` +
      `${Math.round(r.textsPerSecond).toLocaleString('en')} texts/s, ${r.megabytesPerSecond.toFixed(1)} MB/s, ` +
      `${((100 * r.changed) / r.texts).toFixed(1)}% changed`,
  );
}

/** Adversarial texts at the ingest size limit (20,000 characters): each must stay linear. */
export function benchPathological(): Array<{ name: string; milliseconds: number }> {
  const cases: Record<string, string> = {
    'spaced digits': '1 '.repeat(10_000),
    'hyphenated digits': '12-'.repeat(6_666),
    'one digit run': '9'.repeat(20_000),
    'email without domain end': 'x@' + 'a.'.repeat(9_999),
    'address keywords': '路1号'.repeat(6_666),
    'phones back to back': '13812345678 '.repeat(1_666),
    'long url': 'https://' + 'a'.repeat(19_992),
  };
  return Object.entries(cases).map(([name, text]) => {
    const start = process.cpuUsage();
    redact(text);
    const cpu = process.cpuUsage(start);
    return { name, milliseconds: (cpu.user + cpu.system) / 1000 };
  });
}

/** csqa_redact over a table, as a COPY export would run it (one JS call per DuckDB chunk). */
export async function benchSqlRedact(count: number): Promise<{ rows: number; seconds: number }> {
  const db = await openDatabase(':memory:', { threads: 1 });
  try {
    registerPrivacyFunctions(db, { privacy: { redact: true } });
    const file = join(mkdtempSync(join(tmpdir(), 'csqa-bench-')), 'texts.jsonl');
    writeFileSync(file, mixedTexts(Math.min(count, 10_000)).map((text) => JSON.stringify({ text })).join('\n'));
    await db.run(
      "create table texts as select t.text from read_json($1, columns = {text: 'varchar'}) t, range($2) r(i)",
      [file, Math.ceil(count / Math.min(count, 10_000))],
    );
    const start = process.hrtime.bigint();
    await db.value("select count(*) from (select csqa_redact(text) as t from texts) where t like '%[%'");
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rows = Number(await db.value('select count(*) from texts'));
    return { rows, seconds };
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const large = Number(process.argv[2] ?? 2_000_000);
  show('redact (outputs, 10^5)', benchRedact(100_000));
  show(`redact (clustering, ${large.toExponential(0)})`, benchRedact(large));
  const sql = await benchSqlRedact(100_000);
  console.log(`csqa_redact in SQL: ${sql.rows.toLocaleString('en')} rows in ${sql.seconds.toFixed(2)} s wall`);
  for (const { name, milliseconds } of benchPathological()) {
    console.log(`redact worst case, ${name} (20k chars): ${milliseconds.toFixed(1)} ms CPU`);
  }
}
