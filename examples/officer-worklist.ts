/**
 * An internal app in a few lines: an officer's worklist, through the typed client.
 *
 *   npm run example:worklist -- --url http://127.0.0.1:4000/graphql --agency UBND-ST
 *   npm run example:worklist -- --agency UBND-ST --contact --purpose CITIZEN_REQUEST
 *   TOKEN=$(npm run -s token -- --role officer --agency SKHDT) npm run example:worklist
 *
 * Mints a development token for an officer of the agency (or takes TOKEN), runs the
 * OfficerWorklist operation by its persisted hash and prints the open dossiers of the agency,
 * due soonest first. Applicants' phone numbers are asked for only with --contact, which needs a
 * declared purpose (--purpose, and --case for DOSSIER_PROCESSING).
 */
import { parseArgs } from 'node:util';
import { createGatewayClient, GatewayRequestError } from '../src/clients/client.js';
import { isPurpose, PURPOSES } from '../src/access/roles.js';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { OfficerWorklistDocument, type DossierStatus, type OfficerWorklistQuery } from '../src/generated/graphql.js';

const OPEN: DossierStatus[] = ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'];
const STATUSES: readonly DossierStatus[] = [...OPEN, 'COMPLETED', 'REJECTED', 'WITHDRAWN'];
const isStatus = (value: string): value is DossierStatus => (STATUSES as readonly string[]).includes(value);
const USAGE = `Usage: npm run example:worklist -- [--url <graphql url>] --agency <code> [--first <n>] [--status <s,…>] [--contact --purpose <purpose> [--case <ref>]]

  --url       the gateway's GraphQL endpoint (default http://127.0.0.1:4000/graphql)
  --agency    the officer's agency code, e.g. UBND-ST (not needed with TOKEN)
  --first     how many dossiers (1 to 100, default 25)
  --status    statuses to list, comma-separated (default the open ones: ${OPEN.join(',')})
  --contact   also show applicants' phone numbers (personal data: needs --purpose)
  --purpose   ${Object.keys(PURPOSES).join(', ')}
  --case      case reference (a dossier code), for DOSSIER_PROCESSING

TOKEN in the environment is used instead of minting a development token.`;

type Dossier = NonNullable<OfficerWorklistQuery['dossiers']>['edges'][number]['node'];

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function applicantOf(dossier: Dossier): { name: string; phone: string } {
  const applicant = dossier.applicant;
  if (!applicant) return { name: '(not visible)', phone: '' };
  if (applicant.__typename === 'Business') return { name: `${applicant.name} (${applicant.code})`, phone: '' };
  return { name: applicant.fullName ?? '(not visible)', phone: applicant.phone ?? '' };
}

const width = (text: string) => [...text.normalize('NFC')].length;
const clip = (text: string, max: number) => (width(text) > max ? `${[...text.normalize('NFC')].slice(0, max - 1).join('')}…` : text.normalize('NFC'));
const pad = (text: string, size: number) => text + ' '.repeat(Math.max(0, size - width(text)));

/** A plain-text table: a header, a rule, the rows. */
function table(header: string[], rows: string[][]): string {
  const sizes = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, sizes[i]!)).join('  ').trimEnd();
  return [line(header), sizes.map((s) => '-'.repeat(s)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
        agency: { type: 'string' },
        first: { type: 'string', default: '25' },
        status: { type: 'string' },
        contact: { type: 'boolean', default: false },
        purpose: { type: 'string' },
        case: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const first = Number(values.first);
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    console.error(`--first must be a whole number from 1 to 100\n\n${USAGE}`);
    return 2;
  }
  const statuses = values.status ? values.status.split(',').map((s) => s.trim().toUpperCase()) : OPEN;
  const unknown = statuses.filter((s) => !isStatus(s));
  if (unknown.length > 0) {
    console.error(`--status: unknown ${unknown.join(', ')}; one or more of ${STATUSES.join(', ')}`);
    return 2;
  }
  if (values.purpose !== undefined && !isPurpose(values.purpose)) {
    console.error(`--purpose must be one of ${Object.keys(PURPOSES).join(', ')}`);
    return 2;
  }
  if (values.contact && !values.purpose) {
    console.error('--contact shows personal data: say why with --purpose (and --case for DOSSIER_PROCESSING)');
    return 2;
  }

  let token = process.env.TOKEN;
  if (!token) {
    if (!values.agency) {
      console.error(`--agency is required (or set TOKEN)\n\n${USAGE}`);
      return 2;
    }
    token = await mintDevToken(loadConfig().auth, { role: 'officer', agency: values.agency, clientApp: 'officer-worklist', subject: `worklist-${values.agency.toLowerCase()}` });
  }

  const client = createGatewayClient({
    url: values.url,
    token,
    purpose: isPurpose(values.purpose) ? values.purpose : undefined,
    caseReference: values.case,
    clientApp: 'officer-worklist',
  });
  const { dossiers } = await client.request(OfficerWorklistDocument, { first, statuses: statuses.filter(isStatus), withContact: values.contact });
  // request() throws on any error, so a null list (its source down) arrives as an error instead.
  if (!dossiers) return 1;

  const nodes = dossiers.edges.map((edge) => edge.node);
  const agency = nodes[0]?.agency;
  const who = agency ? `${agency.name} (${agency.code})` : (values.agency ?? 'the agency');
  const which = values.status ? statuses.join('/') : 'open';
  console.log(`Worklist of ${who}: ${nodes.length} of ${dossiers.totalCount ?? '?'} ${which} dossiers, due soonest first\n`);
  if (nodes.length === 0) return 0;
  const header = ['#', 'Dossier', 'Status', 'Due (Đà Nẵng)', 'Timeliness', 'Procedure', 'Applicant', ...(values.contact ? ['Phone'] : [])];
  const rows = nodes.map((dossier, i) => {
    const applicant = applicantOf(dossier);
    return [
      String(i + 1),
      dossier.code,
      dossier.status,
      dateTime.format(new Date(dossier.dueAt)),
      dossier.timeliness,
      clip(dossier.procedure?.name ?? '', 48),
      clip(applicant.name, 40),
      ...(values.contact ? [applicant.phone] : []),
    ];
  });
  console.log(table(header, rows));
  if (dossiers.pageInfo.hasNextPage) console.log(`\n… more: ${(dossiers.totalCount ?? 0) - nodes.length} further dossiers (use --first)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof GatewayRequestError) console.error(`The gateway refused: ${error.message} (codes: ${error.codes.join(', ')})`);
    else console.error((error as Error).message ?? error);
    process.exit(1);
  },
);
