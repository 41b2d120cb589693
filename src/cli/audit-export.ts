import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createRepositories } from '../modules/repositories.js';
import { DATABASE_HELP, runCommand } from './run.js';

const HELP = `Usage: npm run audit:export -- [--from <ISO time>] [--to <ISO time>] [--format csv|ndjson] [--out <file>]

Writes the access log's entries (oldest first) for offline review: every field, the chain
hashes included, so that an export can be checked against the log later.

  --from     entries at or after this time (e.g. 2026-11-01T00:00:00+07:00)
  --to       entries before this time
  --format   csv (default) or ndjson
  --out      a file (default: standard output)

${DATABASE_HELP}`;

const COLUMNS = [
  'id', 'seq', 'occurred_at', 'request_id', 'actor_subject', 'actor_role', 'actor_agency', 'client_app', 'operation_name',
  'document_hash', 'purpose', 'case_reference', 'subject_type', 'subject_id', 'fields', 'outcome', 'found_by', 'prev_hash', 'hash',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(';') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function time(value: unknown, name: string): Date | null {
  if (value === undefined) return null;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`--${name} must be an ISO date-time, got ${String(value)}`);
  return date;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

await runCommand(
  HELP,
  { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async (args, connections) => {
    const format = String(args.format ?? 'csv');
    if (format !== 'csv' && format !== 'ndjson') throw new Error(`--format must be csv or ndjson, got ${format}`);
    const filter = { from: time(args.from, 'from'), to: time(args.to, 'to') };
    const out: Writable = args.out ? createWriteStream(String(args.out)) : process.stdout;
    if (format === 'csv') await write(out, `${COLUMNS.join(',')}\n`);
    let count = 0;
    for await (const row of createRepositories(connections).audit.accessLog.stream(filter)) {
      const record = row as unknown as Record<(typeof COLUMNS)[number], unknown>;
      await write(out, format === 'csv' ? `${COLUMNS.map((c) => csvCell(record[c])).join(',')}\n` : `${JSON.stringify(row)}\n`);
      count += 1;
    }
    if (args.out) {
      out.end();
      await once(out, 'finish');
      console.error(`Exported ${count} entries to ${String(args.out)}.`);
    }
  },
);
