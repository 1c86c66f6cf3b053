/**
 * Coaching on a synthetic world: `npx tsx bench/coach.ts [agents] [conversations per agent]`.
 * Prints the wall time of `coach()` (aggregation, evidence, rendering and writing), not asserted anywhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coach } from '../src/coach/coach.js';
import { loadConfig } from '../src/config.js';
import { buildWorld, type AgentSpec } from '../tests/coach/world.js';

const agentsCount = Number(process.argv[2] ?? 60);
const perAgent = Number(process.argv[3] ?? 200);
const plants = ['coupon', 'slow', 'sad'] as const;
const agents: AgentSpec[] = Array.from({ length: agentsCount }, (_, i) => ({
  id: `ag${String(i).padStart(4, '0')}`,
  vendor: `vendor-${i % 4}`,
  conversations: perAgent,
  plant: i % 10 === 0 ? plants[(i / 10) % 3]! : 'none',
}));

let start = Date.now();
const world = await buildWorld(agents, 1, join(mkdtempSync(join(tmpdir(), 'csqa-bench-')), 'bench.duckdb'));
const built = Date.now() - start;
const config = loadConfig({ env: {}, cwd: tmpdir() });
start = Date.now();
const plan = await coach(world.db, config, { outDir: mkdtempSync(join(tmpdir(), 'csqa-bench-out-')) });
const took = Date.now() - start;
const weak = plan.agents.reduce((n, a) => n + a.weakSpots.length, 0);
console.log(
  JSON.stringify({ agents: agentsCount, conversations: agentsCount * perAgent, buildMs: built, coachMs: took, weakSpots: weak, planted: agents.filter((a) => a.plant !== 'none').length }),
);
for (const a of plan.agents) {
  const planted = agents.find((x) => x.id === a.agentId)!.plant;
  for (const s of a.weakSpots) console.log(`  ${a.agentId} planted=${String(planted)} found=${s.metric} rank=${s.rank}`);
}
world.close();
