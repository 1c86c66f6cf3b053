import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db, Row } from '../../src/db/database.js';
import { bindChart, type BoundChart } from '../../src/dashboards/bind.js';
import { MAX_ROWS_PER_CHART, planReport, type ReportOptions } from '../../src/dashboards/build.js';
import { defaultDashboardsDir } from '../../src/dashboards/catalog.js';
import { fillText } from '../../src/dashboards/placeholders.js';
import type { ReportSettings } from '../../src/dashboards/settings.js';
import { DEFLECTION_CATEGORIES, martsFixture } from './marts-fixture.js';

const settings: ReportSettings = {
  asOf: '2026-11-10T00:00:00Z',
  timezone: 'Asia/Shanghai',
  fcrWindow: '72h',
  humanReachTargetSeconds: 240,
  minSampleConversations: 30,
  minSampleSurveys: 5,
};

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

async function plan(options: Partial<ReportOptions> = {}, parts?: Parameters<typeof martsFixture>[0]): Promise<Map<string, BoundChart>> {
  db ??= await martsFixture(parts);
  const charts = await planReport(db, { settings, outlierZ: 1.5, ...options });
  return new Map(charts.map((c) => [c.name, c]));
}

const rowsOf = (charts: Map<string, BoundChart>, name: string): Row[] => charts.get(name)!.rows;

describe('bound specs (golden)', () => {
  it('match the pinned files for the fixed fixture', async () => {
    const charts = await plan();
    for (const chart of charts.values()) {
      await expect(JSON.stringify(chart.spec, null, 2) + '\n').toMatchFileSnapshot(`__golden__/${chart.name}.json`);
    }
  });

  it('are identical on a second build (ordering and rounding are deterministic)', async () => {
    const first = await plan();
    const again = await planReport(db!, { settings, outlierZ: 1.5 });
    expect(again.map((c) => JSON.stringify(c.spec))).toEqual([...first.values()].map((c) => JSON.stringify(c.spec)));
  });

  it('carry the data inline under the named source and the choices in force in the text', async () => {
    const charts = await plan();
    const trends = charts.get('daily_trends')!;
    expect((trends.spec.datasets as Record<string, Row[]>).table).toEqual(trends.rows);
    expect(trends.title).toBe('Daily KPI trends per vendor');
    expect(JSON.stringify(trends.spec)).toContain('FCR window 72h');
    expect(trends.caption).toContain('within 240 s');
    expect(JSON.stringify(trends.spec)).not.toMatch(/\{(asOf|fcrWindow|timezone)\}/);
  });
});

describe('chart data agrees with the conversation mart', () => {
  it('time to human: share within the target counts unanswered requests as missed', async () => {
    const charts = await plan();
    const conversations = await db!.all<{ count_human_requests: number; time_to_human_seconds: number | null }>(
      'select count_human_requests, time_to_human_seconds from marts.conversations order by conversation_id',
    );
    const requests = conversations.filter((c) => c.count_human_requests > 0);
    const within = requests.filter((c) => c.time_to_human_seconds !== null && c.time_to_human_seconds <= 240).length;
    const rows = rowsOf(charts, 'time_to_human');
    expect(rows[0]!.share_within_target).toBeCloseTo(within / requests.length, 4);
    expect(rows.reduce((sum, r) => sum + Number(r.count), 0)).toBe(requests.filter((c) => c.time_to_human_seconds !== null).length);
    expect(rows.filter((r) => r.is_label_row)).toHaveLength(1);
  });

  it('human service by channel: both shares per channel and day, a day without human requests has no reach point', async () => {
    const charts = await plan();
    const rows = rowsOf(charts, 'human_service_by_channel');
    const marts = await db!.all<Row>('select * from marts.kpis_by_channel_day order by report_date, channel');
    expect(rows.filter((r) => r.metric_order === 1)).toHaveLength(marts.length);
    const hotline = rows.filter((r) => r.metric_order === 2 && r.channel === '电话').map((r) => r.day);
    expect(hotline).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    const chat = rows.find((r) => r.metric_order === 1 && r.channel === 'chat' && r.day === '2026-11-02')!;
    expect(chat).toMatchObject({ rate: 0.6, rate_low: 0.45, rate_high: 0.75, n: 50 });
  });

  it('deflection by vendor: share of the vendor conversations where the category fired', async () => {
    const charts = await plan();
    const conversations = await db!.all<Row>('select * from marts.conversations order by conversation_id');
    for (const category of DEFLECTION_CATEGORIES) {
      const ofVendor = conversations.filter((c) => c.vendor === '华信外包');
      const fired = ofVendor.filter((c) => Number(c[`count_${category}`]) > 0).length;
      const row = rowsOf(charts, 'deflection_by_vendor').find((r) => r.vendor === '华信外包' && r.category === category)!;
      expect(row.n).toBe(ofVendor.length);
      expect(row.rate).toBeCloseTo(fired / ofVendor.length, 4);
    }
  });

  it('tier funnel: every conversation reaches the bot; deeper tiers hold fewer, split by what came next', async () => {
    const charts = await plan();
    const rows = rowsOf(charts, 'tier_funnel');
    const reached = (tier: string) => rows.filter((r) => r.tier === tier).reduce((s, r) => s + Number(r.count), 0);
    const paths = await db!.all<{ escalation_path: string }>('select escalation_path from marts.conversations');
    for (const tier of ['bot', 'L1', 'L2', 'L3']) {
      expect(reached(tier)).toBe(paths.filter((p) => p.escalation_path.split('>').includes(tier)).length);
    }
    const botTransferred = rows.find((r) => r.tier === 'bot' && r.outcome === 'transferred to a human')!;
    expect(botTransferred.count).toBe(reached('L1'));
  });

  it('the FCR window in force selects the mart column and the label', async () => {
    const seventyTwo = rowsOf(await plan(), 'daily_trends').filter((r) => r.metric_order === 1);
    const day = await planReport(db!, { settings: { ...settings, fcrWindow: '24h' } });
    const twentyFour = day.find((c) => c.name === 'daily_trends')!.rows.filter((r) => r.metric_order === 1);
    expect(seventyTwo[0]!.metric).toBe('FCR (72h window)');
    expect(twentyFour[0]!.metric).toBe('FCR (24h window)');
    // The fixture makes the 24 h column true more often (i % 5 <> 0) than the 72 h one (i % 4 <> 0).
    expect(twentyFour.map((r) => r.rate)).not.toEqual(seventyTwo.map((r) => r.rate));
  });

  it('agents: outliers follow the configured z threshold', async () => {
    const loose = rowsOf(await plan({ outlierZ: 0.5 }), 'agent_scatter');
    const strict = rowsOf(await plan({ outlierZ: 50 }), 'agent_scatter');
    expect(loose.length).toBeGreaterThan(1);
    expect(loose.some((r) => r.is_outlier)).toBe(true);
    expect(strict.some((r) => r.is_outlier)).toBe(false);
  });

  it('agents below the survey minimum are left out', async () => {
    const all = rowsOf(await plan({ settings: { ...settings, minSampleSurveys: 1 } }), 'agent_scatter');
    const few = rowsOf(await plan({ settings: { ...settings, minSampleSurveys: 1000 } }), 'agent_scatter');
    expect(all.length).toBeGreaterThan(0);
    expect(few).toEqual([]);
  });
});

describe('little data', () => {
  it('a chart whose query returns nothing becomes a note, not an empty frame', async () => {
    db = await martsFixture();
    await db.run('delete from marts.conversations');
    const charts = new Map((await planReport(db, { settings })).map((c) => [c.name, c]));
    for (const name of ['daily_trends', 'tier_funnel', 'time_to_human', 'deflection_by_vendor', 'sentiment_after_deflection', 'agent_scatter']) {
      const chart = charts.get(name)!;
      expect(chart.emptyReason).toMatch(/no rows/);
      expect(chart.spec.mark).toMatchObject({ type: 'text' });
      expect(JSON.stringify(chart.spec)).toContain(`No data for this chart`);
      expect((chart.spec.title as { text: string }).text).toBe(chart.title);
    }
    expect(charts.get('vendor_scorecard')!.emptyReason).toBeUndefined();
    // The CSV of an empty chart still has the query's header.
    expect(charts.get('time_to_human')!.columns).toEqual([
      'bin_start', 'bin_end', 'bin_label', 'count', 'band', 'target_seconds', 'n_requests', 'share_within_target', 'summary_label', 'is_label_row',
    ]);
  });

  it('a mart that was never built is named in the note', async () => {
    const charts = await plan({}, { templates: false });
    expect(charts.get('canned_templates')!.emptyReason).toMatch(/marts\.canned_templates not built/);
    expect(charts.get('vendor_scorecard')!.emptyReason).toBeUndefined();
  });
});

describe('aggregate before binding', () => {
  it('refuses a chart query that returns raw rows instead of aggregates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csqa-charts-'));
    copyFileSync(join(defaultDashboardsDir(), '_no_data.vl.json'), join(dir, '_no_data.vl.json'));
    writeFileSync(join(dir, 'raw.vl.json'), JSON.stringify({ title: 'raw', data: { name: 'table' }, mark: 'point' }));
    writeFileSync(join(dir, 'raw.sql'), `select conversation_id, range as i from marts.conversations, range(${Math.ceil((MAX_ROWS_PER_CHART + 1) / 96)})`);
    db = await martsFixture({ league: false, templates: false });
    await expect(planReport(db, { settings, charts: ['raw'], dashboardsDir: dir })).rejects.toThrow(/chart raw returned \d+ rows .* must aggregate/);
  });
});

describe('binding', () => {
  const spec = {
    title: { text: 'T {fcrWindow}' },
    description: 'target {humanReachTargetSeconds} s',
    usermeta: { csqa: { freeTextFields: ['example_text'] } },
    data: { name: 'table' },
    mark: 'bar',
  };
  const noDataSpec = { title: '{chartTitle}', data: { values: [{ note: '{reason}' }] }, mark: 'text' };
  const values = { fcrWindow: '72h', humanReachTargetSeconds: 240 };

  it('redacts only the declared free-text fields', () => {
    const rows = [{ vendor: 'vendor-a 13800138000', example_text: '请拨打 13800138000' }];
    const chart = bindChart({ name: 'x', spec, noDataSpec, rows, columns: ['vendor', 'example_text'], values, redact: (s) => s.replace(/\d{11}/g, '[phone]') });
    expect(chart.rows).toEqual([{ vendor: 'vendor-a 13800138000', example_text: '请拨打 [phone]' }]);
    expect(chart.title).toBe('T 72h');
    expect(chart.caption).toBe('target 240 s');
  });

  it('refuses an unknown placeholder instead of printing a blank', () => {
    expect(() => fillText('window {fcrWindwo}', values)).toThrow(/unknown placeholder \{fcrWindwo\}/);
  });
});
