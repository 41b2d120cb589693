import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { buildGatewaySchema, printGatewaySchema } from '../modules/schema.js';

const FILE = 'schema.graphql';
const check = process.argv.includes('--check');

if (process.argv.includes('--help')) {
  console.log(`Usage: npm run schema:emit      write ${FILE} from the code
       npm run schema:check     fail when ${FILE} differs from what the code produces`);
  process.exit(0);
}

const printed = printGatewaySchema(await buildGatewaySchema());
if (check) {
  const committed = await readFile(FILE, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error(`${FILE} is stale: it differs from the schema the code builds. Run \`npm run schema:emit\` and commit it.`);
    process.exit(1);
  }
  console.log(`${FILE} matches the code.`);
} else {
  await writeFile(FILE, printed);
  console.log(`Wrote ${FILE}.`);
}
