/**
 * The plan half of the runner: finds the SQL models under sql/<layer>/, reads their dependencies from the
 * `schema.name` references they make (plus any `-- depends_on:` header line) and orders them so every model
 * runs after what it reads. Pure apart from reading the files, so the ordering is testable on strings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteIdent } from '../db/database.js';

/** Layers in the order data flows; each folder is a DuckDB schema of the same name. */
export const MODEL_LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof MODEL_LAYERS)[number];

/**
 * table: stored in the database; view: stored as its query; scratch: a temporary table that lives only while
 * the build runs, for wide intermediates whose only readers are other models (storing them costs a
 * compressed write of every row and nobody reads them afterwards).
 */
export type Materialization = 'table' | 'view' | 'scratch';

export interface SqlModel {
  /** `schema.name`, e.g. `marts.conversations`. */
  id: string;
  layer: Layer;
  name: string;
  sql: string;
  materialized: Materialization;
  dependsOn: string[];
  /** The grain key named in the header (`Key: a` or `Key: (a, b)`); empty when the header names none. */
  key: string[];
}

export interface SqlAudit {
  name: string;
  sql: string;
}

/** sql/ beside src/ (tsx) or beside dist/ (compiled): the first that exists. */
export function defaultSqlDir(): string {
  const candidates = ['../../sql', '../../../sql'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'marts'))) ?? candidates[0]!;
}

/** `layer.name`: a reference to a model (or to an input such as staging.settings). */
const MODEL_REFERENCE = new RegExp(`\\b(${MODEL_LAYERS.join('|')})\\.([a-z_][a-z0-9_]*)\\b`, 'gi');

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/** References to other models: `staging.x`, `intermediate.x`, `marts.x` outside comments, plus depends_on lines. */
export function parseDependencies(sql: string, selfId: string): string[] {
  const found = new Set<string>();
  for (const match of stripComments(sql).matchAll(MODEL_REFERENCE)) found.add(`${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}`);
  for (const line of sql.matchAll(/^--\s*depends_on:\s*(.+)$/gim)) {
    for (const id of line[1]!.split(/[,\s]+/).filter(Boolean)) found.add(id.toLowerCase());
  }
  found.delete(selfId);
  return [...found].sort();
}

/** The key of the header's `Grain:` line: `Key: conversation_id.` or `Key: (report_date, agent_id).` */
export function parseGrainKey(sql: string): string[] {
  const grain = /^--\s*Grain:.*?\bKey:\s*(?:\(([^)]*)\)|([a-z_][a-z0-9_]*))/im.exec(sql);
  if (!grain) return [];
  return (grain[1] ?? grain[2]!).split(',').map((column) => column.trim().toLowerCase()).filter(Boolean);
}

export function parseModel(layer: Layer, name: string, sql: string): SqlModel {
  const id = `${layer}.${name}`;
  const declared = /^--\s*materialized:\s*(view|scratch)\s*$/im.exec(sql)?.[1] as Materialization | undefined;
  const materialized = declared ?? 'table';
  return {
    id, layer, name, sql: sql.trim().replace(/;\s*$/, ''), materialized, dependsOn: parseDependencies(sql, id), key: parseGrainKey(sql),
  };
}

function sqlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).sort() : [];
}

export function loadModels(sqlDir: string): SqlModel[] {
  return MODEL_LAYERS.flatMap((layer) =>
    sqlFiles(join(sqlDir, layer)).map((file) =>
      parseModel(layer, basename(file, '.sql'), readFileSync(join(sqlDir, layer, file), 'utf8')),
    ),
  );
}

export function loadAudits(sqlDir: string): SqlAudit[] {
  return sqlFiles(join(sqlDir, 'audits')).map((file) => ({
    name: basename(file, '.sql'),
    sql: readFileSync(join(sqlDir, 'audits', file), 'utf8').trim().replace(/;\s*$/, ''),
  }));
}

/** Macros (sql/macros) are statements, not models: they run first, in file order. */
export function loadMacros(sqlDir: string): string[] {
  return sqlFiles(join(sqlDir, 'macros')).map((file) => readFileSync(join(sqlDir, 'macros', file), 'utf8'));
}

/**
 * Topological order; among models ready at the same time the alphabetical id goes first, so the order (and
 * the log) is the same on every run. References to tables that are not models (raw.*, staging.settings) are
 * inputs, not dependencies.
 */
export function orderModels(models: readonly SqlModel[]): SqlModel[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  const pending = new Map(models.map((m) => [m.id, new Set(m.dependsOn.filter((d) => byId.has(d)))]));
  const ordered: SqlModel[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) {
      const stuck = [...pending.keys()].sort().join(', ');
      throw new Error(`SQL models depend on each other in a cycle: ${stuck}`);
    }
    for (const id of ready) {
      ordered.push(byId.get(id)!);
      pending.delete(id);
      for (const deps of pending.values()) deps.delete(id);
    }
  }
  return ordered;
}

/** A model with where the build creates it and its SQL pointing at the objects the build creates. */
export interface PlacedModel extends SqlModel {
  /** Quoted, ready for SQL: where the build creates it (see placeModels). */
  target: string;
  /** Lives only in the build's connection: a scratch table, or any view. */
  temporary: boolean;
  /** Where it ends up once the build passed its audits (`"layer"."name"`), or null when it lives only during the build. */
  published: string | null;
  /** The model's own SQL, for publishing a view under its own name (reading published names). */
  ownSql: string;
}

const temporaryTarget = (layer: string, name: string) => `temp.main.${quoteIdent(`${layer}__${name}`)}`;
/** Suffix of the stored tables a build writes before publishing them under their own names. */
export const BUILD_SUFFIX = '__build';
const buildTarget = (layer: string, name: string) => `${quoteIdent(layer)}.${quoteIdent(`${name}${BUILD_SUFFIX}`)}`;

/** Rewrites references to models (`marts.x`) to where the build put them; other references stay. */
export function pointAt(sql: string, targets: ReadonlyMap<string, string>): string {
  return sql.replace(MODEL_REFERENCE, (whole, layer: string, name: string) => targets.get(`${layer}.${name}`.toLowerCase()) ?? whole);
}

/**
 * Decides where each model is built so that nothing the previous build published changes until the new one
 * has passed its audits, and so that the build itself runs outside any transaction (DuckDB writes a large
 * CTAS inside an explicit transaction through transaction-local storage, about twice as slow):
 *  - a stored table is built as `layer.name__build` and later renamed (publishModels);
 *  - a scratch table is a temporary table, gone with the connection;
 *  - a view is a temporary view during the build; a view that reads no scratch model is also published
 *    under its own name, with its own SQL, once the tables it reads are in place.
 * References to models, and to the `inputs` the build writes under other names (the settings tables), are
 * rewritten to their build names. Takes models in build order.
 */
export function placeModels(ordered: readonly SqlModel[], inputs: ReadonlyMap<string, string> = new Map()): PlacedModel[] {
  const targets = new Map<string, string>(inputs);
  const temporaryOnly = new Set<string>();
  return ordered.map((model) => {
    const readsScratch = model.dependsOn.some((id) => temporaryOnly.has(id));
    const isTable = model.materialized === 'table';
    const target = isTable ? buildTarget(model.layer, model.name) : temporaryTarget(model.layer, model.name);
    const publishable = model.materialized === 'table' || (model.materialized === 'view' && !readsScratch);
    if (!publishable) temporaryOnly.add(model.id);
    const sql = pointAt(model.sql, targets);
    targets.set(model.id, target);
    return {
      ...model,
      sql,
      target,
      temporary: !isTable,
      published: publishable ? `${quoteIdent(model.layer)}.${quoteIdent(model.name)}` : null,
      ownSql: model.sql,
    };
  });
}

/** Where each model and input of a placement was built, for pointing audits at the build before it is published. */
export function buildTargets(placed: readonly PlacedModel[], inputs: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  return new Map([...inputs, ...placed.map((m): [string, string] => [m.id, m.target])]);
}

/** The build name of a stored table `layer.name` that is not a model (written by the build itself). */
export function buildTableName(id: string): string {
  const [layer, name] = id.split('.') as [string, string];
  return buildTarget(layer, name);
}
