/**
 * The auditors' page (served as /audit/app.js, bundled by scripts/bundle-audit-page.ts): the access log, newest
 * first, filtered and paged with keyset cursors, every row verified here against the log's signed
 * checkpoint (see transparency.ts), and the gateway's verification of the whole log. Plain
 * DOM, no framework; text reaches the page through textContent only (the page's CSP allows no
 * inline script and requires Trusted Types, which this script never needs).
 */
import {
  AccessLogVerificationDocument,
  AuditorAccessLogDocument,
  type AccessLogFilter,
  type AccessLogVerificationQuery,
  type AuditorAccessLogQuery,
  type ChainProblem,
} from '../../../generated/graphql.js';
import { ApiError, call, describe, tokenStore } from './api.js';
import { claimsOf, localTime, rowIdOf } from './format.js';
import { fetchHead, verifyRow, type Head, type RowVerdict } from './transparency.js';

type LogPage = NonNullable<AuditorAccessLogQuery['accessLog']>;
type LogEntry = LogPage['edges'][number]['node'];
type Verification = NonNullable<AccessLogVerificationQuery['accessLogVerification']>;

const PROBLEMS: Record<ChainProblem, string> = {
  CHANGED: 'an entry was altered after it was written',
  REMOVED: 'entries were removed',
  INSERTED: 'an entry was added outside the chain',
  REORDERED: 'entries were moved out of order',
  UNSIGNED: 'the tree has no valid signed checkpoint',
  CONTRADICTED: 'a checkpoint contradicts one kept outside the database',
};

function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no ${type.name} #${id}`);
  return element;
}

const ui = {
  tokenForm: byId('token-form', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  signOut: byId('sign-out', HTMLButtonElement),
  who: byId('who', HTMLElement),
  filterForm: byId('filter-form', HTMLFormElement),
  clear: byId('clear', HTMLButtonElement),
  error: byId('error', HTMLElement),
  table: byId('entries', HTMLTableElement),
  rows: byId('rows', HTMLTableSectionElement),
  range: byId('range', HTMLElement),
  total: byId('total', HTMLElement),
  prev: byId('prev', HTMLButtonElement),
  next: byId('next', HTMLButtonElement),
  badge: byId('verification', HTMLElement),
  badgeState: byId('verification-state', HTMLElement),
  badgeDetail: byId('verification-detail', HTMLElement),
  verify: byId('verify', HTMLButtonElement),
  timeZone: byId('tz', HTMLElement),
  checkpoint: byId('checkpoint', HTMLElement),
  checkpointState: byId('checkpoint-state', HTMLElement),
  checkpointDetail: byId('checkpoint-detail', HTMLElement),
};

const state: {
  filter: AccessLogFilter;
  size: number;
  offset: number;
  page: LogPage | null;
  /** Each row's verification by this page, by entry id. */
  verdicts: Map<string, RowVerdict>;
  badId: number | null;
  busy: boolean;
} = {
  filter: {},
  size: 20,
  offset: 0,
  page: null,
  verdicts: new Map(),
  badId: null,
  busy: false,
};
/** Counters of the runs started (a newer run makes an older answer moot) and finished (data-loads, data-checks: tests wait on them). */
let listRun = 0;
let verifyRun = 0;
let loads = 0;
let checks = 0;

function showError(error: unknown): void {
  ui.error.textContent = error ? describe(error) : '';
  ui.error.hidden = !error;
}

function cell(text: string | number | null | undefined, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
  if (className) td.className = className;
  return td;
}

function entryRow(entry: LogEntry): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const time = cell(localTime(entry.occurredAt), 'time');
  time.title = entry.occurredAt;
  tr.append(
    cell(entry.seq, 'seq'),
    time,
    cell(entry.actorSubject),
    cell(entry.actorRole),
    cell(entry.actorAgency),
    cell(entry.purpose),
    cell(entry.caseReference),
    cell(`${entry.subjectType} ${entry.subjectId}`, 'subject'),
    cell(entry.fields.join(', '), 'fields'),
    cell(entry.outcome, `outcome outcome-${entry.outcome}`),
    cell(entry.foundBy.join(', '), 'found-by'),
  );
  const verdict = state.verdicts.get(entry.id) ?? { state: 'failed', detail: 'NOT verified: not checked' };
  tr.append(cell(verdict.detail, `proof proof-${verdict.state}`));
  tr.dataset.proof = verdict.state;
  const rowId = rowIdOf(entry.id);
  tr.dataset.rowId = String(rowId);
  if (state.badId !== null && rowId === state.badId) tr.className = 'bad';
  return tr;
}

function render(): void {
  const page = state.page;
  ui.rows.replaceChildren();
  if (!page) {
    ui.range.textContent = '–';
    ui.total.textContent = '–';
  } else {
    for (const edge of page.edges) ui.rows.append(entryRow(edge.node));
    if (page.edges.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('No entries match these filters.');
      td.colSpan = 11;
      tr.append(td);
      ui.rows.append(tr);
    }
    ui.range.textContent = page.edges.length ? `${state.offset + 1}–${state.offset + page.edges.length}` : '0';
    ui.total.textContent = String(page.totalCount);
  }
  ui.prev.disabled = state.busy || !page || !page.pageInfo.hasPreviousPage;
  ui.next.disabled = state.busy || !page || !page.pageInfo.hasNextPage;
}

function setBusy(busy: boolean): void {
  state.busy = busy;
  ui.table.setAttribute('aria-busy', String(busy));
  render();
}

type Direction = 'first' | 'next' | 'prev';

/**
 * The page asked for: the first, or the one after or before the page shown (keyset cursors), its
 * proofs against the checkpoint of `proofTreeSize` (the one the page verified).
 */
async function fetchPage(direction: Direction, shown: LogPage | null, proofTreeSize: number | null): Promise<LogPage> {
  const { filter, size } = state;
  const before = direction === 'prev' ? shown?.pageInfo.startCursor : null;
  const after = direction === 'next' ? shown?.pageInfo.endCursor : null;
  // Backward, `first` is null: the operation's default page size (50) is for going forward.
  const page = before ? { first: null, last: size, before } : { first: size, ...(after ? { after } : {}) };
  const data = await call((gateway) => gateway.request(AuditorAccessLogDocument, { filter, ...page, proofTreeSize }));
  if (!data.accessLog) throw new ApiError('NOT_FOUND', 'The gateway did not answer with the access log.');
  return data.accessLog;
}

async function loadPage(direction: Direction): Promise<void> {
  const shown = state.page;
  const run = ++listRun;
  setBusy(true);
  try {
    // The checkpoint first: every proof of the page is then asked against it.
    const head = await fetchHead().catch((error: unknown) => error);
    const page = await fetchPage(direction, shown, isHead(head) ? head.checkpoint.treeSize : null);
    const verdicts = await verifyRows(page, head);
    if (run !== listRun) return;
    showHead(head);
    state.verdicts = verdicts;
    if (direction === 'next' && shown) state.offset += shown.edges.length;
    else if (direction === 'prev' && shown) state.offset = page.pageInfo.hasPreviousPage ? Math.max(0, state.offset - page.edges.length) : 0;
    else state.offset = 0;
    state.page = page;
    showError(null);
  } catch (error) {
    if (run !== listRun) return;
    state.page = null;
    showError(error);
  } finally {
    if (run === listRun) {
      setBusy(false);
      ui.table.dataset.loads = String(++loads);
    }
  }
}

/** Every row of the page verified (or why not: the checkpoint could not be verified). */
async function verifyRows(page: LogPage, head: Head | unknown): Promise<Map<string, RowVerdict>> {
  const verdicts = new Map<string, RowVerdict>();
  for (const { node } of page.edges) {
    verdicts.set(node.id, isHead(head) ? await verifyRow(node, head) : { state: 'failed', detail: `NOT verified: ${describe(head)}` });
  }
  return verdicts;
}

const isHead = (value: unknown): value is Head => value instanceof Object && 'checkpoint' in value && 'keys' in value;

/** The header: the checkpoint's size and key, and whether it is consistent with the one seen before. */
function showHead(head: Head | unknown): void {
  if (!isHead(head)) {
    ui.checkpoint.dataset.state = 'bad';
    ui.checkpoint.dataset.size = '';
    delete ui.checkpoint.dataset.consistency;
    ui.checkpointState.textContent = 'Checkpoint NOT verified';
    ui.checkpointDetail.textContent = describe(head);
    return;
  }
  const { checkpoint, consistency } = head;
  ui.checkpoint.dataset.state = consistency.state === 'inconsistent' ? 'bad' : consistency.state === 'unchecked' ? 'unknown' : 'ok';
  ui.checkpoint.dataset.size = String(checkpoint.treeSize);
  ui.checkpoint.dataset.consistency = consistency.state;
  const signed = `signed by key ${checkpoint.keyId}${checkpoint.keyId === head.currentKeyId ? '' : ` (a previous key; the current one is ${head.currentKeyId})`}`;
  ui.checkpointState.textContent = `Checkpoint of ${checkpoint.treeSize} entries verified`;
  const verdict = consistency.state === 'inconsistent' ? `NOT consistent: ${consistency.detail}` : consistency.state === 'unchecked' ? consistency.detail : `Consistent: ${consistency.detail}`;
  ui.checkpointDetail.textContent = `${signed}. ${verdict}.`;
}

type BadgeState = 'unknown' | 'pending' | 'ok' | 'bad';

function setBadge(kind: BadgeState, title: string, detail: string): void {
  ui.badge.dataset.state = kind;
  ui.badgeState.textContent = title;
  ui.badgeDetail.textContent = detail;
}

function showVerification(result: Verification): void {
  const at = `Checked ${localTime(result.verifiedAt)}.`;
  if (result.intact) {
    state.badId = null;
    setBadge('ok', 'Intact', `All ${result.checked} entries verify. ${at}`);
    return;
  }
  state.badId = result.firstBadId;
  const where = result.firstBadId === null ? '' : `, first bad entry id ${result.firstBadId}`;
  const why = result.problem ? ` (${PROBLEMS[result.problem]})` : '';
  setBadge('bad', 'NOT intact', `Problem ${result.problem}${why}${where}; ${result.checked} entries verify before it. ${at}`);
}

async function verify(): Promise<void> {
  const run = ++verifyRun;
  ui.verify.disabled = true;
  setBadge('pending', 'Verifying…', 'Walking the hash chain from the first entry.');
  try {
    const { accessLogVerification } = await call((gateway) => gateway.request(AccessLogVerificationDocument));
    if (run !== verifyRun) return;
    if (!accessLogVerification) throw new ApiError('NOT_FOUND', 'The gateway did not answer with a verification.');
    showVerification(accessLogVerification);
    render();
  } catch (error) {
    if (run !== verifyRun) return;
    setBadge('unknown', 'Not verified', describe(error));
  } finally {
    if (run === verifyRun) {
      ui.verify.disabled = !tokenStore.get();
      ui.badge.dataset.checks = String(++checks);
    }
  }
}

/** The filter form's conditions by the names of AccessLogFilter (the form's field names). */
const TEXT_CONDITIONS = ['subjectType', 'subject', 'actor', 'agency', 'purpose', 'outcome'] as const satisfies ReadonlyArray<keyof AccessLogFilter>;
const TIME_CONDITIONS = ['from', 'to'] as const satisfies ReadonlyArray<keyof AccessLogFilter>;

function readFilter(): AccessLogFilter {
  const form = new FormData(ui.filterForm);
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const filter: Partial<Record<keyof AccessLogFilter, string>> = {};
  for (const name of TEXT_CONDITIONS) {
    const value = field(name).trim();
    if (value) filter[name] = value;
  }
  for (const name of TIME_CONDITIONS) {
    const value = field(name);
    if (!value) continue;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new ApiError('BAD_USER_INPUT', `The "${name}" time is not a date.`);
    filter[name] = date.toISOString();
  }
  state.size = Number(field('size')) || 20;
  // The outcome comes from a select whose options are the schema's AccessOutcome values.
  return filter as AccessLogFilter;
}

function applyFilter(): void {
  try {
    state.filter = readFilter();
  } catch (error) {
    showError(error);
    return;
  }
  state.page = null;
  void loadPage('first');
}

function showSignedIn(): void {
  const token = tokenStore.get();
  ui.signOut.disabled = !token;
  ui.verify.disabled = !token;
  if (!token) {
    ui.who.textContent = 'Not signed in. The token stays in this tab only (session storage).';
    return;
  }
  const claims = claimsOf(token);
  if (!claims) {
    ui.who.textContent = 'Signed in with a token the page cannot read; the gateway will judge it.';
    return;
  }
  const until = typeof claims.exp === 'number' ? `, until ${localTime(claims.exp * 1000)}` : '';
  ui.who.textContent = `Signed in as ${String(claims.sub || '?')} (role ${String(claims.role || '?')})${until}.`;
}

function start(): void {
  showSignedIn();
  applyFilter();
  void verify();
}

ui.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    showError(new ApiError('UNAUTHENTICATED', 'Paste a token first.'));
    return;
  }
  tokenStore.set(token);
  ui.token.value = '';
  start();
});

ui.signOut.addEventListener('click', () => {
  tokenStore.clear();
  listRun++;
  verifyRun++;
  state.page = null;
  state.verdicts = new Map();
  state.badId = null;
  setBusy(false);
  showError(null);
  setBadge('unknown', 'Not verified', 'Sign in to verify the hash chain.');
  showSignedIn();
});

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilter();
});
ui.clear.addEventListener('click', () => {
  ui.filterForm.reset();
  applyFilter();
});
ui.next.addEventListener('click', () => void loadPage('next'));
ui.prev.addEventListener('click', () => void loadPage('prev'));
ui.verify.addEventListener('click', () => void verify());

ui.timeZone.textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || 'browser time zone';
if (tokenStore.get()) start();
else showSignedIn();
