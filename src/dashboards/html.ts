/**
 * index.html: one self-contained page. Vega, Vega-Lite and vega-embed are inlined from node_modules,
 * the bound specs travel as JSON inside the page, and a Content-Security-Policy forbids every network
 * fetch, so the page works from file:// on a machine with no network and cannot leak anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml, jsonForHtmlScript } from '../privacy/escape.js';
import { redactionNotice } from '../privacy/redact.js';
import type { BoundChart } from './bind.js';

/** Library source inside <script>: a literal "</script" would end the element early. */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export interface PageLibraries {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

export function readPageLibraries(): PageLibraries {
  const require = createRequire(import.meta.url);
  const build = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
  return {
    vega: build('vega', 'vega.min.js'),
    vegaLite: build('vega-lite', 'vega-lite.min.js'),
    vegaEmbed: build('vega-embed', 'vega-embed.min.js'),
  };
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // vega compiles its expressions with Function(); inline is how the libraries travel.
  "script-src 'unsafe-inline' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface PageInput {
  title: string;
  /** Lines such as "FCR window: 72h", already plain text. */
  settingsLines: string[];
  /** Whether free log text on the page was redacted; the page says which (redactionNotice). */
  redacted: boolean;
  charts: BoundChart[];
  libraries: PageLibraries;
}

function chartSection(chart: BoundChart): string {
  const id = `chart-${chart.name}`;
  const files = ['svg', 'png', 'csv']
    .map((ext) => `<a href="${escapeHtml(`${chart.name}.${ext}`)}">${ext.toUpperCase()}</a>`)
    .join(' · ');
  const body = chart.emptyReason
    ? `<p class="no-data" role="note">No data for this chart: ${escapeHtml(chart.emptyReason)}</p>`
    : `<div class="chart" id="${escapeHtml(id)}" data-chart="${escapeHtml(chart.name)}"></div>`;
  return [
    `<section class="card" id="section-${escapeHtml(chart.name)}">`,
    `<h2>${escapeHtml(chart.title)}</h2>`,
    body,
    `<p class="caption">${escapeHtml(chart.caption)}</p>`,
    `<p class="files">${files}</p>`,
    `</section>`,
  ].join('\n');
}

const STYLE = `
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:24px;color:#222;background:#f6f6f6}
h1{font-size:22px;margin:0 0 4px}.settings{color:#555;font-size:13px;margin:0 0 16px;padding:0;list-style:none}
.settings li{display:inline-block;margin-right:16px}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:0 0 16px}
.card h2{font-size:16px;margin:0 0 8px}.caption{color:#444;font-size:13px;max-width:900px}.files{font-size:12px}
.privacy{color:#555;font-size:12px;margin:0 0 16px}.privacy.raw{color:#b00;font-weight:bold;font-size:14px}
.no-data{color:#666;font-style:italic;padding:16px;border:1px dashed #bbb}.error{color:#b00}`;

export function renderIndexHtml(input: PageInput): string {
  const specs = Object.fromEntries(input.charts.filter((c) => !c.emptyReason).map((c) => [c.name, c.spec]));
  const boot = `
(function () {
  var specs = JSON.parse(document.getElementById('csqa-specs').textContent);
  var pending = Object.keys(specs).map(function (name) {
    var el = document.getElementById('chart-' + name);
    // Compile notes about the shipped specs are for developers (tests validate them), not for readers.
    return vegaEmbed(el, specs[name], { renderer: 'svg', actions: false, logLevel: vega.Error })
      .then(function () { el.setAttribute('data-rendered', 'true'); })
      .catch(function (error) {
        el.textContent = 'This chart failed to render: ' + error.message;
        el.className = 'chart error';
        console.error('chart ' + name + ': ' + error.message);
      });
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts-done', 'true'); });
})();`;
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
<script>${scriptSafe(input.libraries.vega)}</script>
<script>${scriptSafe(input.libraries.vegaLite)}</script>
<script>${scriptSafe(input.libraries.vegaEmbed)}</script>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<ul class="settings">${input.settingsLines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<p class="privacy${input.redacted ? '' : ' raw'}" id="privacy-notice" role="note">${escapeHtml(redactionNotice(input.redacted))}</p>
${input.charts.map(chartSection).join('\n')}
<script type="application/json" id="csqa-specs">${jsonForHtmlScript(specs)}</script>
<script>${boot}</script>
</body>
</html>
`;
}
