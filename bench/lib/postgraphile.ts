/**
 * PostGraphile v5, the bench's peer: installed on demand into its own folder (it declares
 * Node ≥ 22, so it stays out of the project's dependencies), and told about the relations the
 * sources keep without foreign keys by smart tags, written as comments into the bench's
 * database only (never by the migrations).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const POSTGRAPHILE_DIR = path.resolve('bench', 'postgraphile');

/** `npm ci` of the pinned lock into bench/postgraphile/node_modules, when it is not there yet. */
export function ensurePostGraphileInstalled(log: (message: string) => void): void {
  if (existsSync(path.join(POSTGRAPHILE_DIR, 'node_modules', 'postgraphile', 'package.json'))) return;
  log('installing PostGraphile into bench/postgraphile (npm ci, once)...');
  // Quiet: PostGraphile declares Node ≥ 22 and npm would warn about the engine on Node 20.
  execFileSync('npm', ['ci', '--prefix', POSTGRAPHILE_DIR, '--loglevel=error', '--no-audit', '--no-fund', '--engine-strict=false'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The schemas PostGraphile exposes: the sources its scenarios read (bench/postgraphile/server.mjs). */
export const POSTGRAPHILE_SCHEMAS = ['reference', 'population', 'business', 'services', 'opendata'] as const;

/**
 * Cross-source relations (no foreign key in the database: each source may live on its own
 * server), and the objects PostGraphile must not expose (every schema has the migrator's tables
 * and the same two functions, whose names would clash).
 */
const TABLE_TAGS: Array<[table: string, tags: string[]]> = [
  ['services.dossiers', [
    '@foreignKey (agency_id) references reference.agencies (id)',
    // applicant_id names a citizen or a business by applicant_kind: the peer asks both and keeps the one the kind names.
    '@foreignKey (applicant_id) references population.citizens (id)',
    '@foreignKey (applicant_id) references business.businesses (id)',
  ]],
  ['services.procedures', ['@foreignKey (agency_id) references reference.agencies (id)']],
  ['opendata.datasets', ['@foreignKey (publisher_id) references reference.agencies (id)']],
  ['population.citizens', ['@foreignKey (ward_id) references reference.administrative_units (id)']],
  ['business.businesses', ['@foreignKey (ward_id) references reference.administrative_units (id)']],
];

/** Columns PostGraphile would not offer in `condition` (it offers indexed ones; this is in partial indexes' predicates only). */
const COLUMN_TAGS: Array<[column: string, tags: string[]]> = [['services.dossiers.completed_at', ['@behavior +attribute:filterBy']]];

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Writes the smart tags into the bench database (idempotent: comments are replaced). */
export async function tagBenchDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const statements = TABLE_TAGS.map(([table, tags]) => `comment on table ${table} is ${quoteLiteral(tags.join('\n'))}`);
    for (const [column, tags] of COLUMN_TAGS) statements.push(`comment on column ${column} is ${quoteLiteral(tags.join('\n'))}`);
    const { rows: hidden } = await client.query<{ name: string; kind: string }>(
      `select c.oid::regclass::text as name, 'table' as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = any($1::text[]) and c.relkind = 'r' and c.relname like 'kysely\\_migration%'
       union all
       select p.oid::regprocedure::text, 'function' from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = any($1::text[])`,
      [[...POSTGRAPHILE_SCHEMAS]],
    );
    for (const { name, kind } of hidden) statements.push(`comment on ${kind} ${name} is '@behavior -*'`);
    await client.query(statements.join(';\n'));
  } finally {
    await client.end();
  }
}
