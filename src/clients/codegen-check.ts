/**
 * `npm run codegen:check` (CI): regenerates the typed client documents and the trusted-documents
 * manifest into a temporary folder and fails when the committed src/generated/ differs, so that
 * an operation or schema change without `npm run codegen` cannot be merged.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import config from '../../codegen.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TARGET = 'src/generated/';

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

async function main(): Promise<number> {
  const target = config.generates[TARGET];
  if (!target) throw new Error(`codegen.ts generates nothing into ${TARGET}`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'codegen-check-'));
  try {
    process.chdir(ROOT);
    await generate({ ...config, silent: true, generates: { [`${scratch}/`]: target } }, true);
    const committedDir = path.join(ROOT, TARGET);
    const fresh = new Set(filesUnder(scratch));
    const committed = new Set(filesUnder(committedDir));
    const problems: string[] = [];
    for (const file of fresh) {
      if (!committed.has(file)) problems.push(`missing: ${TARGET}${file}`);
      else if (readFileSync(path.join(scratch, file), 'utf8') !== readFileSync(path.join(committedDir, file), 'utf8')) problems.push(`stale:   ${TARGET}${file}`);
    }
    for (const file of committed) if (!fresh.has(file)) problems.push(`extra:   ${TARGET}${file} (codegen no longer writes it)`);
    if (problems.length > 0) {
      console.error(`The generated client code is not up to date with schema.graphql and src/clients/operations:\n  ${problems.join('\n  ')}`);
      console.error('Run `npm run codegen` and commit src/generated/.');
      return 1;
    }
    console.log(`${TARGET} is up to date (${fresh.size} files).`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`codegen:check failed: ${(error as Error).message ?? error}`);
    process.exit(2);
  },
);
