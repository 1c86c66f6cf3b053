/**
 * `csqa report`: marts -> one folder with index.html, and per chart an SVG, a PNG and the CSV of its data.
 * Planning (query + bind) is separate from writing so the bound specs can be tested without files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONS } from '../config.js';
import type { Db } from '../db/database.js';
import { createRedactor, type Redactor } from '../privacy/redact.js';
import { bindChart, type BoundChart } from './bind.js';
import { DEFAULT_CHARTS, NO_DATA_SPEC, defaultDashboardsDir, loadChart, readSpec } from './catalog.js';
import { toCsv } from './csv.js';
import { findReportFonts, type ReportFonts } from './fonts.js';
import { readPageLibraries, renderIndexHtml } from './html.js';
import type { PlaceholderValues } from './placeholders.js';
import { missingMarts, runChartQuery, type QueryParams } from './query.js';
import { renderSvg, svgToPng } from './render.js';
import type { ReportSettings } from './settings.js';

export interface ReportOptions {
  settings: ReportSettings;
  /** Chart names in page order (config `report.charts`); default: all shipped charts. */
  charts?: readonly string[];
  /** |z| above which an agent is labelled as an outlier (config `report.outlierZ`). */
  outlierZ?: number;
  /** How many templates the canned-template chart lists (config `report.topTemplates`). */
  topTemplates?: number;
  /**
   * Applied to every free-text field a spec declares (template examples, agent ids); the page states whether
   * it redacts. Default: redaction on (reportFromConfig passes createRedactor(config), i.e. privacy.redact).
   */
  redact?: Redactor;
  dashboardsDir?: string;
}

export interface BuildReportOptions extends ReportOptions {
  outDir: string;
  /** Stamped on the page; pass a fixed clock in tests. */
  now?: Date;
  /** Fonts for the PNGs; default: found under /usr/share/fonts; null: system fonts only. */
  fonts?: ReportFonts | null;
  warn?: (message: string) => void;
}

export interface ChartSummary {
  name: string;
  title: string;
  rows: number;
  emptyReason?: string;
}

export interface ReportResult {
  outDir: string;
  /** Paths written, relative to outDir, sorted. */
  files: string[];
  charts: ChartSummary[];
}

/**
 * A chart query must aggregate: the rows travel inline in index.html. A query returning more than this
 * is a broken chart (e.g. one row per conversation), so the build stops instead of writing a huge page.
 */
export const MAX_ROWS_PER_CHART = 20_000;

export const DEFAULT_OUTLIER_Z: number = OPTIONS['report.outlierZ'].default;
export const DEFAULT_TOP_TEMPLATES: number = OPTIONS['report.topTemplates'].default;

/** Text placeholders for spec strings ({name}) and bound SQL parameters ($name), from the same choices. */
export function choicesInForce(options: ReportOptions): { text: PlaceholderValues; params: QueryParams } {
  const s = options.settings;
  const outlierZ = options.outlierZ ?? DEFAULT_OUTLIER_Z;
  const topTemplates = options.topTemplates ?? DEFAULT_TOP_TEMPLATES;
  return {
    text: {
      asOf: s.asOf,
      timezone: s.timezone,
      fcrWindow: s.fcrWindow,
      humanReachTargetSeconds: s.humanReachTargetSeconds,
      minSampleConversations: s.minSampleConversations,
      minSampleSurveys: s.minSampleSurveys,
      outlierZ,
      topTemplates,
    },
    params: {
      fcr_window: s.fcrWindow,
      human_reach_target_seconds: s.humanReachTargetSeconds,
      min_sample_conversations: s.minSampleConversations,
      min_sample_surveys: s.minSampleSurveys,
      outlier_z: outlierZ,
      top_templates: topTemplates,
    },
  };
}

const REDACT_BY_DEFAULT = createRedactor({ privacy: { redact: true } });

function redactorOf(options: ReportOptions): Redactor {
  return options.redact ?? REDACT_BY_DEFAULT;
}

/** Queries every chart and binds its spec; a chart whose mart is missing becomes a no-data note. */
export async function planReport(db: Db, options: ReportOptions): Promise<BoundChart[]> {
  const dir = options.dashboardsDir ?? defaultDashboardsDir();
  const noDataSpec = readSpec(dir, NO_DATA_SPEC);
  const { text, params } = choicesInForce(options);
  const bound: BoundChart[] = [];
  for (const name of options.charts ?? DEFAULT_CHARTS) {
    const chart = loadChart(dir, name);
    const missing = await missingMarts(db, chart.sql);
    const unavailable = missing.length
      ? `${missing.map((m) => `marts.${m}`).join(', ')} not built yet (run csqa metrics)`
      : undefined;
    const data = unavailable ? { columns: [], rows: [] } : await runChartQuery(db, chart.sql, params);
    if (data.rows.length > MAX_ROWS_PER_CHART) {
      throw new Error(`chart ${name} returned ${data.rows.length} rows (limit ${MAX_ROWS_PER_CHART}); its query must aggregate`);
    }
    bound.push(bindChart({ name, spec: chart.spec, noDataSpec, ...data, values: text, redact: redactorOf(options), unavailable }));
  }
  return bound;
}

export function settingsLines(settings: ReportSettings): string[] {
  return [
    `as of ${settings.asOf}`,
    ...(settings.periodStart ? [`conversations begun since ${settings.periodStart}`] : []),
    `reporting days in ${settings.timezone}`,
    `FCR window ${settings.fcrWindow}`,
    `human reach target ${settings.humanReachTargetSeconds} s`,
    `ranking minimum ${settings.minSampleConversations} conversations / ${settings.minSampleSurveys} surveys`,
  ];
}

export async function buildReport(db: Db, options: BuildReportOptions): Promise<ReportResult> {
  const warn = options.warn ?? (() => undefined);
  const charts = await planReport(db, options);
  const fonts = options.fonts === null ? {} : (options.fonts ?? findReportFonts());
  if (!fonts.cjk) {
    warn('report: no CJK font found (install Debian fonts-noto-cjk); Chinese text in the PNGs will not render');
  }

  mkdirSync(options.outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(options.outDir, name), content);
    files.push(name);
  };

  const pngs: Array<Promise<Buffer>> = [];
  for (const chart of charts) {
    if (chart.emptyReason) warn(`report: ${chart.name}: no data (${chart.emptyReason})`);
    const svg = await renderSvg(chart.spec);
    write(`${chart.name}.svg`, svg);
    const png = svgToPng(svg, fonts);
    // Awaited below; handled now so a failure is not reported as unhandled if a later chart throws first.
    png.catch(() => undefined);
    pngs.push(png);
    write(`${chart.name}.csv`, toCsv(chart.rows, chart.columns));
  }
  // Started together, written in chart order.
  const rendered = await Promise.all(pngs);
  charts.forEach((chart, i) => write(`${chart.name}.png`, rendered[i]!));

  write(
    'index.html',
    renderIndexHtml({
      title: 'csqa dashboards',
      settingsLines: settingsLines(options.settings),
      redacted: redactorOf(options).enabled,
      charts,
      libraries: readPageLibraries(),
    }),
  );

  return {
    outDir: options.outDir,
    files: files.sort(),
    charts: charts.map((c) => ({ name: c.name, title: c.title, rows: c.rows.length, emptyReason: c.emptyReason })),
  };
}
