import { parseArgs } from 'node:util';
import { mintDevToken } from '../auth/tokens.js';
import { ROLES, type Role } from '../auth/roles.js';
import { loadConfig } from '../config.js';

const HELP = `Usage: npm run token -- --role <role> [--agency <code>] [--citizen <national id>]
                        [--subject <sub>] [--client <app>] [--expires <span>]

Mints a development token signed with the development key, for trying the gateway locally.
Refused when NODE_ENV=production (production tokens come from the identity provider).

  --role      ${ROLES.filter((r) => r !== 'public').join(', ')} (public needs no token)
  --agency    agency code, required for officer (e.g. UBND-HC, STTTT, SKHDT)
  --citizen   12-digit national id, required for citizen
  --subject   the token's sub (default dev-<role>)
  --client    client application id (azp), e.g. officer-worklist
  --expires   lifetime (default 8h)

Example:
  TOKEN=$(npm run -s token -- --role officer --agency UBND-HC)
  curl -H "Authorization: Bearer $TOKEN" -H 'X-Purpose: DOSSIER_PROCESSING' \\
       -H 'X-Case-Reference: <dossier code>' ...`;

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
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role) || role === 'public') {
  console.error(`--role must be one of ${ROLES.filter((r) => r !== 'public').join(', ')}\n\n${HELP}`);
  process.exit(2);
}
if (role === 'officer' && !values.agency) {
  console.error('An officer token needs --agency <code>');
  process.exit(2);
}
if (role === 'citizen' && !/^\d{12}$/.test(String(values.citizen ?? ''))) {
  console.error('A citizen token needs --citizen <12-digit national id>');
  process.exit(2);
}
try {
  console.log(
    await mintDevToken(loadConfig().auth, {
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
