import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentMarkdown, coach } from '../../src/coach/coach.js';
import { loadConfig, type Config } from '../../src/config.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { openDatabase } from '../../src/db/database.js';
import { buildWorld, COUPON_TEXT, DEFAULT_AGENTS, SAD_ENDING, type AgentSpec, type World } from './world.js';

function config(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'csqa-coach-cfg-')), flags: overrides });
}

const outDir = () => mkdtempSync(join(tmpdir(), 'csqa-coach-out-'));

let world: World | undefined;
afterEach(() => {
  world?.close();
  world = undefined;
});

describe('coach on a world with planted weaknesses', () => {
  it('finds exactly the planted weak spots, and nothing for small or normal agents', async () => {
    world = await buildWorld();
    const plan = await coach(world.db, config(), { outDir: outDir() });
    const found = Object.fromEntries(plan.agents.map((a) => [a.agentId, a.weakSpots.map((w) => w.metric)]));
    expect(found).toEqual({
      a1: ['coupon_appeasement_rate'],
      a2: ['first_response_seconds'],
      a3: ['sentiment_closing'],
      a4: [],
      a5: [],
      a6: [],
      a7: [],
      b1: [],
      b2: [],
    });
    const byId = new Map(plan.agents.map((a) => [a.agentId, a]));
    expect(byId.get('a7')!.status).toBe('below_minimum');
    expect(byId.get('a1')!.peerGroup).toEqual({ scope: 'vendor_tier', agents: 5 });
    expect(byId.get('b1')!.peerGroup).toEqual({ scope: 'tier', agents: 7 });
    const coupon = byId.get('a1')!.weakSpots[0]!.assessment;
    expect(coupon.value).toBe(0.25);
    expect(coupon.value / coupon.peerValue).toBeGreaterThan(3);
  });

  it('quotes the agent\u2019s own utterances, strongest case first', async () => {
    world = await buildWorld();
    const plan = await coach(world.db, config(), { outDir: outDir() });
    const spot = (agent: string) => plan.agents.find((a) => a.agentId === agent)!.weakSpots[0]!;

    const coupon = spot('a1');
    expect(coupon.evidence).toHaveLength(3);
    // a1-c000 offered two coupons (severity 2), so it leads; then conversation order.
    expect(coupon.evidence.map((e) => e.conversationId)).toEqual(['a1-c000', 'a1-c008', 'a1-c016']);
    for (const e of coupon.evidence) {
      expect(e.quotes.length).toBeGreaterThan(0);
      for (const q of e.quotes) {
        expect(q.role).toBe('agent');
        expect(q.text).toBe(COUPON_TEXT);
        expect(q.matched).toBe('5元优惠券');
      }
    }

    const slow = spot('a2');
    const waits = await Promise.all(
      slow.evidence.map((e) =>
        world!.db.value<number>('select first_human_response_seconds from marts.conversations where conversation_id = $1', [e.conversationId]),
      ),
    );
    expect(waits).toEqual([...waits].sort((x, y) => y! - x!));
    const [customer, reply] = slow.evidence[0]!.quotes;
    expect(customer!.role).toBe('customer');
    expect(reply!.role).toBe('agent');
    expect((Date.parse(reply!.at!) - Date.parse(customer!.at!)) / 1000).toBeCloseTo(waits[0]!, 0);

    const sad = spot('a3');
    for (const e of sad.evidence) expect(e.quotes.at(-1)!.text).toBe(SAD_ENDING);
  });

  it('shows exemplars by peers that ended well and carry no deflection', async () => {
    world = await buildWorld();
    const plan = await coach(world.db, config(), { outDir: outDir() });
    const spot = plan.agents.find((a) => a.agentId === 'a1')!.weakSpots[0]!;
    expect(spot.exemplars).toHaveLength(2);
    for (const x of spot.exemplars) {
      expect(x.agentId).not.toBe('a1');
      const row = await world.db.all<{ vendor: string; is_fcr_72h: boolean; sentiment_closing: number; has_deflection: boolean }>(
        'select vendor, is_fcr_72h, sentiment_closing, has_deflection from marts.conversations where conversation_id = $1',
        [x.conversationId],
      );
      expect(row[0]).toMatchObject({ vendor: 'vendor-a', is_fcr_72h: true, has_deflection: false });
      expect(row[0]!.sentiment_closing).toBeGreaterThan(0);
      expect(x.sameIntent).toBe(true);
    }
  });

  it('ranks two weak spots of one agent by impact', async () => {
    const agents: AgentSpec[] = DEFAULT_AGENTS.map((a) => (a.id === 'a1' ? { ...a, plant: ['coupon', 'slow'] } : a));
    world = await buildWorld(agents);
    const plan = await coach(world.db, config(), { outDir: outDir() });
    const spots = plan.agents.find((a) => a.agentId === 'a1')!.weakSpots;
    // Six times slower than peers on every conversation outweighs a coupon in one conversation of four.
    expect(spots.map((s) => [s.rank, s.metric])).toEqual([
      [1, 'first_response_seconds'],
      [2, 'coupon_appeasement_rate'],
    ]);
  });

  it('flags nothing when every agent varies normally', async () => {
    for (const seed of [11, 12, 13]) {
      const normal: AgentSpec[] = DEFAULT_AGENTS.map((a) => ({ ...a, plant: 'none', conversations: Math.max(a.conversations, 40) }));
      const w = await buildWorld(normal, seed);
      try {
        const plan = await coach(w.db, config(), { outDir: outDir() });
        expect(plan.agents.filter((a) => a.status === 'coached')).toHaveLength(9);
        expect(plan.agents.flatMap((a) => a.weakSpots.map((s) => `${a.agentId}:${s.metric}`))).toEqual([]);
      } finally {
        w.close();
      }
    }
  });
});

describe('coach false alarms', () => {
  it('keeps the share of normal agents given a weak spot under the promised family-wise level', async () => {
    // The plan promises (Bonferroni over each agent's checks) that an agent with no real gap gets any weak spot
    // with probability under 1 - coach.confidence. Forty seeded worlds of normal agents: 360 plans.
    let plans = 0;
    let flagged = 0;
    for (let seed = 100; seed < 140; seed++) {
      const normal: AgentSpec[] = DEFAULT_AGENTS.map((a) => ({ ...a, plant: 'none', conversations: Math.max(a.conversations, 40) }));
      const w = await buildWorld(normal, seed);
      try {
        const plan = await coach(w.db, config(), { outDir: outDir() });
        const coached = plan.agents.filter((a) => a.status === 'coached');
        plans += coached.length;
        flagged += coached.filter((a) => a.weakSpots.length > 0).length;
      } finally {
        w.close();
      }
    }
    expect(plans).toBe(360);
    expect(flagged / plans).toBeLessThan(1 - 0.95);
  }, 60_000);
});

describe('coach outputs', () => {
  it('writes per-agent and per-vendor Markdown, JSON and CSV, deterministically', async () => {
    world = await buildWorld();
    const first = outDir();
    const second = outDir();
    await coach(world.db, config({ 'coach.language': 'en' }), { outDir: first });
    await coach(world.db, config({ 'coach.language': 'en' }), { outDir: second });
    const files = (dir: string) => [
      ...readdirSync(join(dir, 'coaching', 'agents')).map((f) => join('agents', f)),
      ...readdirSync(join(dir, 'coaching', 'vendors')).map((f) => join('vendors', f)),
      'coaching.json',
      'coaching.csv',
    ];
    expect(files(first).sort()).toEqual(
      ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'b1', 'b2'].map((a) => join('agents', `${a}.md`))
        .concat(['vendors/vendor-a.md', 'vendors/vendor-b.md', 'coaching.json', 'coaching.csv'])
        .sort(),
    );
    for (const f of files(first)) expect(readFileSync(join(second, 'coaching', f), 'utf8')).toBe(readFileSync(join(first, 'coaching', f), 'utf8'));
    expect(readdirSync(join(first, 'coaching')).some((f) => f.includes('.tmp-'))).toBe(false);

    const csv = readFileSync(join(first, 'coaching', 'coaching.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4); // header + one row per agent x weak spot
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 1).concat(l.split(',')[8]!))).toEqual([
      ['a1', 'coupon_appeasement_rate'],
      ['a2', 'first_response_seconds'],
      ['a3', 'sentiment_closing'],
    ]);

    const json = JSON.parse(readFileSync(join(first, 'coaching', 'coaching.json'), 'utf8'));
    expect(json.agents).toHaveLength(9);
    expect(json.vendors.map((v: { vendor: string }) => v.vendor)).toEqual(['vendor-a', 'vendor-b']);

    const md = readFileSync(join(first, 'coaching', 'agents', 'a2.md'), 'utf8');
    expect(md).toContain('# Coaching plan: Bob');
    expect(md).toContain('## 1. First response time');
    expect(md).toContain('**Training module: First response: acknowledge first, then investigate**');
    expect(md).toMatch(/Median first response time: \d+ min \d+ s over 60 conversations, against \d+ s for 5 peers/);
  });

  it('writes Chinese plans by default', async () => {
    world = await buildWorld();
    const dir = outDir();
    await coach(world.db, config(), { outDir: dir });
    const md = readFileSync(join(dir, 'coaching', 'agents', 'a1.md'), 'utf8');
    expect(md).toContain('# 辅导计划：Alice');
    expect(md).toContain('## 1. 发券安抚');
    expect(md).toContain('**培训模块：解决问题，而不是发券安抚**');
    expect(md).toContain(COUPON_TEXT);
  });

  it('keeps hostile utterances inert and ids out of path traversal', async () => {
    const hostile = '给您5元优惠券 [点我](javascript:alert(1)) <script>steal()</script>\n# 紧急通知 联系 boss@example.com';
    const agents: AgentSpec[] = DEFAULT_AGENTS.map((a) => (a.id === 'a1' ? { ...a, id: '../a1', couponText: hostile } : a));
    world = await buildWorld(agents);
    const dir = outDir();
    const plan = await coach(world.db, config({ 'coach.language': 'en' }), { outDir: dir });
    const agentFiles = readdirSync(join(dir, 'coaching', 'agents'));
    expect(agentFiles).toHaveLength(9);
    expect(existsSync(join(dir, 'a1.md'))).toBe(false);
    const file = agentFiles.find((f) => f.includes('a1'))!;
    const md = readFileSync(join(dir, 'coaching', 'agents', file), 'utf8');
    expect(md).toContain('javascript:alert');
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('boss@example.com');
    expect(md.split('\n').filter((l) => l.startsWith('#')).every((l) => /^#{1,2} (Coaching plan|Summary|Strengths|\d+\. )/.test(l))).toBe(true);
    expect(md).toContain('\\# 紧急通知');
    const quote = plan.agents.find((a) => a.agentId === '../a1')!.weakSpots[0]!.evidence[0]!.quotes[0]!;
    expect(quote.text).toContain('[EMAIL]');
  });

  it('quotes raw text only when privacy.redact is off, and then says so in every header', async () => {
    const personal = '给您5元优惠券，有问题打我手机13812345678';
    world = await buildWorld(DEFAULT_AGENTS.map((a) => (a.id === 'a1' ? { ...a, couponText: personal } : a)));
    const read = async (redact: boolean) => {
      const dir = outDir();
      await coach(world!.db, config({ 'coach.language': 'en', 'privacy.redact': redact }), { outDir: dir });
      return {
        agent: readFileSync(join(dir, 'coaching', 'agents', 'a1.md'), 'utf8'),
        vendor: readFileSync(join(dir, 'coaching', 'vendors', 'vendor-a.md'), 'utf8'),
        json: JSON.parse(readFileSync(join(dir, 'coaching', 'coaching.json'), 'utf8')),
      };
    };
    const on = await read(true);
    expect(on.agent).toContain('有问题打我手机\\[PHONE\\]');
    expect(on.agent).not.toContain('13812345678');
    expect(on.agent).not.toContain('redaction is OFF');
    expect(on.json.settings.redacted).toBe(true);
    const off = await read(false);
    expect(off.agent).toContain('13812345678');
    expect(off.json.settings.redacted).toBe(false);
    for (const md of [off.agent, off.vendor]) expect(md.split('\n').slice(0, 6).join('\n')).toContain('redaction is OFF');
  });

  it('removes plans left from an earlier run for agents no longer present', async () => {
    const dir = outDir();
    world = await buildWorld();
    await coach(world.db, config(), { outDir: dir });
    world.close();
    world = await buildWorld(DEFAULT_AGENTS.filter((a) => a.id !== 'b2'));
    await coach(world.db, config(), { outDir: dir });
    const files = readdirSync(join(dir, 'coaching', 'agents'));
    expect(files).toContain('b1.md');
    expect(files).not.toContain('b2.md');
  });

  it('returns one agent\u2019s plan for --agent without writing files', async () => {
    world = await buildWorld();
    const dir = outDir();
    const plan = await coach(world.db, config({ 'coach.language': 'en' }), { outDir: dir, agent: 'a2' });
    expect(plan.agents.map((a) => a.agentId)).toEqual(['a2']);
    expect(existsSync(join(dir, 'coaching'))).toBe(false);
    expect(agentMarkdown(plan, 'a2')).toContain('## 1. First response time');
    await expect(coach(world.db, config(), { outDir: dir, agent: 'nobody' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('says what is missing when the marts have not been built', async () => {
    const db = await openDatabase(':memory:');
    try {
      await expect(coach(db, config(), { outDir: outDir() })).rejects.toBeInstanceOf(InputError);
    } finally {
      db.close();
    }
  });
});

describe('vendor summaries', () => {
  it('finds a habit the whole vendor shares, which no individual comparison can show', async () => {
    const agents: AgentSpec[] = [
      ...['a1', 'a2', 'a3', 'a4'].map((id) => ({ id, vendor: 'vendor-a', conversations: 60, plant: 'coupon' as const })),
      ...['b1', 'b2', 'b3', 'b4'].map((id) => ({ id, vendor: 'vendor-b', conversations: 60 })),
    ];
    world = await buildWorld(agents);
    const dir = outDir();
    const plan = await coach(world.db, config({ 'coach.language': 'en' }), { outDir: dir });
    expect(plan.agents.flatMap((a) => a.weakSpots)).toEqual([]);
    const [a, b] = plan.vendors;
    expect(a!.vendor).toBe('vendor-a');
    expect(a!.needs.map((n) => [n.metric, n.vendorLevel, n.agents, n.worseThanOtherVendors.map((f) => f.tier)])).toEqual([
      ['coupon_appeasement_rate', true, [], ['L1']],
    ]);
    expect(b!.needs).toEqual([]);
    expect(b!.strengths.map((s) => s.metric)).toEqual(['coupon_appeasement_rate']);
    const md = readFileSync(join(dir, 'coaching', 'vendors', 'vendor-a.md'), 'utf8');
    expect(md).toMatch(/- \*\*Coupon offers\*\*: no agent stands out individually/);
    expect(md).toContain('vendor-a\u2019s L1 team offered a coupon in 60 of 240 conversations');
  });

  it('calls a weak spot shared by enough agents a vendor-level need', async () => {
    const agents: AgentSpec[] = DEFAULT_AGENTS.map((a) => (a.id === 'a4' ? { ...a, plant: 'coupon' } : a));
    world = await buildWorld(agents);
    const plan = await coach(world.db, config({ 'coach.vendorShare': 0.3 }), { outDir: outDir() });
    const coupon = plan.vendors.find((v) => v.vendor === 'vendor-a')!.needs.find((n) => n.metric === 'coupon_appeasement_rate')!;
    expect(coupon.agents).toEqual(['a1', 'a4']);
    expect(coupon.share).toBeCloseTo(2 / 6, 10);
    expect(coupon.vendorLevel).toBe(true);
    const slow = plan.vendors.find((v) => v.vendor === 'vendor-a')!.needs.find((n) => n.metric === 'first_response_seconds')!;
    expect(slow.vendorLevel).toBe(false);
  });
});
