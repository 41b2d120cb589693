import { parseArgs } from 'node:util';
import { mintDevToken } from '../auth/tokens.js';
import { roleCarries, tokenOf, TOKEN_ROLES } from '../access/claims.js';
import type { Role } from '../access/vocabulary.js';
import { loadConfig, type Config } from '../config.js';
import { agencies } from '../modules/reference/seed/agencies.js';
import { procedures } from '../modules/services/seed/procedures.js';

const HELP = `Usage: npm run token -- --role <role> [--agency <code>] [--citizen <national id>]
                        [--subject <sub>] [--client <app>] [--expires <span>]

Mints a development token signed with the development key, for trying the gateway locally.
Refused when NODE_ENV=production (production tokens come from the identity provider).

  --role      ${TOKEN_ROLES.join(', ')} (public needs no token)
  --agency    agency code, required for officer (e.g. UBND-ST, STTTT, SKHDT)
  --citizen   12-digit national id, required for citizen
  --subject   the token's sub (default dev-<role>)
  --client    client application id (azp), e.g. officer-worklist
  --expires   lifetime (default 8h)

Warns on stderr (and still prints the token) when the agency is not a seeded one, or the
citizen is not in the data.

Example (the README's example identities):
  TOKEN=$(npm run -s token -- --role officer --agency UBND-ST)
  curl -H "Authorization: Bearer $TOKEN" -H 'X-Purpose: DOSSIER_PROCESSING' \\
       -H 'X-Case-Reference: H17.23-241018-0000253' ...`;

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' }, agency: { type: 'string' }, citizen: { type: 'string' }, subject: { type: 'string' },
      client: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const role = values.role as Exclude<Role, 'public'> | undefined;
if (!role || !TOKEN_ROLES.includes(role)) {
  console.error(`--role must be one of ${TOKEN_ROLES.join(', ')}\n\n${HELP}`);
  process.exit(2);
}
// The claims each role must carry (src/access/claims.ts), as the gateway checks them.
if (roleCarries(role, 'agency') && !values.agency) {
  console.error(`${tokenOf(role)} needs --agency <code>`);
  process.exit(2);
}
if (roleCarries(role, 'citizen') && !/^\d{12}$/.test(String(values.citizen ?? ''))) {
  console.error(`${tokenOf(role)} needs --citizen <12-digit national id>`);
  process.exit(2);
}
/**
 * What the agency code names, from the reference list the seeds define: static, so no database
 * is opened (a running gateway holds the embedded one).
 */
function checkAgency(code: string): string | null {
  const agency = agencies().find((a) => a.code === code);
  if (!agency) return `no agency "${code}" in the seeded reference data; known: ${agencies().map((a) => a.code).join(', ')}`;
  if (!procedures().some((p) => p.agencyId === agency.id)) return `${code} (${agency.name}) handles no procedures: its officers see no dossiers`;
  return null;
}

/** Looks the national id up in the population source; null when found, else what to say. */
async function checkCitizen(nationalId: string, config: Config): Promise<string | null> {
  const population = config.sources.population;
  if (population.url) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: population.url, connectionTimeoutMillis: population.connectTimeoutMs, statement_timeout: population.statementTimeoutMs });
    try {
      await client.connect();
      const { rowCount } = await client.query('select 1 from population.citizens where national_id = $1', [nationalId]);
      return rowCount ? null : `no citizen with national id ${nationalId} in the population source (${population.variable}): \`me\` will be null`;
    } catch (error) {
      return `could not check citizen ${nationalId}: the population source (${population.variable}) answered: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  // The embedded database may be held by a running gateway: instead of opening it, regenerate
  // the deterministic data set it is seeded with on first start (SEED_SCALE, SEED).
  const { scaleNamed } = await import('../seed/scales.js');
  const scale = scaleNamed(config.seedScale);
  const dataSet = `the seeded data set (SEED_SCALE=${scale.name}, SEED=${config.seedValue}; the embedded database itself is not opened, a running gateway may hold it)`;
  if (scale.citizens > 100_000) return `could not check citizen ${nationalId}: ${dataSet} is too large to regenerate here`;
  const { citizenRows, CITIZEN_COLUMNS } = await import('../modules/population/seed/rows.js');
  const column = CITIZEN_COLUMNS.indexOf('national_id');
  for (const row of citizenRows(config.seedValue, scale.citizens)) if (row[column] === nationalId) return null;
  const { exampleIdentities } = await import('../seed/examples.js');
  const example = exampleIdentities(config.seedValue, scale.name).citizen;
  return `no citizen with national id ${nationalId} in ${dataSet}: \`me\` will be null; the example citizen is ${example.nationalId} (${example.fullName})`;
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// Production mints no development token (below): nothing to check there.
if (!config.production) {
  const warnings = [
    roleCarries(role, 'agency') ? checkAgency(String(values.agency)) : null,
    roleCarries(role, 'citizen') ? await checkCitizen(String(values.citizen), config) : null,
  ];
  for (const warning of warnings) if (warning) console.error(`warning: ${warning}`);
}

try {
  console.log(
    await mintDevToken(config.auth, {
      role,
      agency: values.agency as string | undefined,
      citizenId: values.citizen as string | undefined,
      subject: values.subject as string | undefined,
      clientApp: values.client as string | undefined,
      expiresIn: values.expires as string | undefined,
    }),
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
