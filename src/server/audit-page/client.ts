/**
 * The auditor's page script (served as /audit/app.js): plain DOM and fetch, no framework, no
 * build step. It is kept here as a string so that it ships inside dist/ like any module; it uses
 * no backticks and no `${`, and writes text only through textContent (the page's CSP allows no
 * inline script and requires Trusted Types, which this script never needs).
 */
export const CLIENT_SCRIPT = String.raw`// Access log page: same-origin GraphQL with the auditor's bearer token.
const TOKEN_KEY = 'gateway.audit.token';
const endpoint = document.querySelector('meta[name="graphql-endpoint"]').getAttribute('content');

const LOG_QUERY = [
  'query AuditLogPage($filter: AccessLogFilter, $first: Int, $after: String, $last: Int, $before: String) {',
  '  accessLog(filter: $filter, first: $first, after: $after, last: $last, before: $before) {',
  '    totalCount',
  '    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }',
  '    edges { node { id seq occurredAt actorSubject actorRole actorAgency purpose caseReference subjectType subjectId fields outcome } }',
  '  }',
  '}',
].join('\n');
const VERIFY_QUERY = 'query AuditLogVerification { accessLogVerification { intact checked firstBadId problem verifiedAt } }';

const PROBLEMS = {
  CHANGED: 'an entry was altered after it was written',
  REMOVED: 'entries were removed',
  INSERTED: 'an entry was added outside the chain',
  REORDERED: 'entries were moved out of order',
};

const byId = (id) => document.getElementById(id);
const ui = {
  tokenForm: byId('token-form'), token: byId('token'), signOut: byId('sign-out'), who: byId('who'),
  filterForm: byId('filter-form'), clear: byId('clear'), error: byId('error'),
  table: byId('entries'), rows: byId('rows'), range: byId('range'), total: byId('total'),
  prev: byId('prev'), next: byId('next'),
  badge: byId('verification'), badgeState: byId('verification-state'), badgeDetail: byId('verification-detail'), verify: byId('verify'),
};

const state = { filter: {}, size: 20, offset: 0, page: null, badId: null, busy: false };
let listRun = 0;
let verifyRun = 0;
let loads = 0;
let checks = 0;

class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function describe(error) {
  if (!(error instanceof ApiError)) return String(error && error.message ? error.message : error);
  const hint = error.code === 'FORBIDDEN' ? ' (this page needs a token with the role auditor or admin)' : '';
  return error.code + ': ' + error.message + hint;
}

async function graphql(query, variables) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in with a token first.');
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables || {} }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('NETWORK', 'The gateway cannot be reached (' + error.message + ').');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const first = body && Array.isArray(body.errors) ? body.errors[0] : null;
  if (first) throw new ApiError((first.extensions && first.extensions.code) || 'HTTP ' + response.status, first.message);
  if (!response.ok || !body || !body.data) throw new ApiError('HTTP ' + response.status, 'The gateway did not answer with data.');
  return body.data;
}

function showError(error) {
  ui.error.textContent = error ? describe(error) : '';
  ui.error.hidden = !error;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

function localTime(iso) {
  const d = new Date(iso);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** The row id inside an entry's global id (base64url of "AccessLogEntry:<id>"). */
function rowIdOf(globalId) {
  try {
    const match = /^AccessLogEntry:(\d+)$/.exec(atob(globalId.replace(/-/g, '+').replace(/_/g, '/')));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** What the token says about its bearer, for display only: the gateway verifies it. */
function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
  if (className) td.className = className;
  return td;
}

function entryRow(entry) {
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
    cell(entry.subjectType + ' ' + entry.subjectId, 'subject'),
    cell(entry.fields.join(', '), 'fields'),
    cell(entry.outcome, 'outcome outcome-' + entry.outcome),
  );
  tr.dataset.rowId = String(rowIdOf(entry.id));
  if (state.badId !== null && rowIdOf(entry.id) === state.badId) tr.className = 'bad';
  return tr;
}

function render() {
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
      td.colSpan = 10;
      tr.append(td);
      ui.rows.append(tr);
    }
    ui.range.textContent = page.edges.length ? state.offset + 1 + '–' + (state.offset + page.edges.length) : '0';
    ui.total.textContent = String(page.totalCount);
  }
  ui.prev.disabled = state.busy || !page || !page.pageInfo.hasPreviousPage;
  ui.next.disabled = state.busy || !page || !page.pageInfo.hasNextPage;
}

function setBusy(busy) {
  state.busy = busy;
  ui.table.setAttribute('aria-busy', String(busy));
  render();
}

/** Loads the first page, or the page after or before the one shown (keyset cursors). */
async function loadPage(direction) {
  const shown = state.page;
  let args = { first: state.size };
  if (direction === 'next' && shown) args = { first: state.size, after: shown.pageInfo.endCursor };
  if (direction === 'prev' && shown) args = { last: state.size, before: shown.pageInfo.startCursor };
  const run = ++listRun;
  setBusy(true);
  try {
    const data = await graphql(LOG_QUERY, Object.assign({ filter: state.filter }, args));
    if (run !== listRun) return;
    const page = data.accessLog;
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

function setBadge(kind, title, detail) {
  ui.badge.dataset.state = kind;
  ui.badgeState.textContent = title;
  ui.badgeDetail.textContent = detail;
}

async function verify() {
  const run = ++verifyRun;
  ui.verify.disabled = true;
  setBadge('pending', 'Verifying…', 'Walking the hash chain from the first entry.');
  try {
    const result = (await graphql(VERIFY_QUERY)).accessLogVerification;
    if (run !== verifyRun) return;
    const at = 'Checked ' + localTime(result.verifiedAt) + '.';
    if (result.intact) {
      state.badId = null;
      setBadge('ok', 'Intact', 'All ' + result.checked + ' entries verify. ' + at);
    } else {
      state.badId = result.firstBadId;
      const where = result.firstBadId === null ? '' : ', first bad entry id ' + result.firstBadId;
      const why = PROBLEMS[result.problem] ? ' (' + PROBLEMS[result.problem] + ')' : '';
      setBadge('bad', 'NOT intact', 'Problem ' + result.problem + why + where + '; ' + result.checked + ' entries verify before it. ' + at);
    }
    render();
  } catch (error) {
    if (run !== verifyRun) return;
    setBadge('unknown', 'Not verified', describe(error));
  } finally {
    if (run === verifyRun) {
      ui.verify.disabled = !sessionStorage.getItem(TOKEN_KEY);
      ui.badge.dataset.checks = String(++checks);
    }
  }
}

function readFilter() {
  const form = new FormData(ui.filterForm);
  const filter = {};
  for (const name of ['subjectType', 'subject', 'actor', 'agency', 'purpose', 'outcome']) {
    const value = String(form.get(name) || '').trim();
    if (value) filter[name] = value;
  }
  for (const name of ['from', 'to']) {
    const value = String(form.get(name) || '');
    if (!value) continue;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new ApiError('BAD_USER_INPUT', 'The "' + name + '" time is not a date.');
    filter[name] = date.toISOString();
  }
  state.size = Number(form.get('size')) || 20;
  return filter;
}

function applyFilter() {
  try {
    state.filter = readFilter();
  } catch (error) {
    showError(error);
    return;
  }
  state.page = null;
  loadPage('first');
}

function showSignedIn() {
  const token = sessionStorage.getItem(TOKEN_KEY);
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
  const until = typeof claims.exp === 'number' ? ', until ' + localTime(claims.exp * 1000) : '';
  ui.who.textContent = 'Signed in as ' + (claims.sub || '?') + ' (role ' + (claims.role || '?') + ')' + until + '.';
}

function start() {
  showSignedIn();
  applyFilter();
  verify();
}

ui.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    showError(new ApiError('UNAUTHENTICATED', 'Paste a token first.'));
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  ui.token.value = '';
  start();
});

ui.signOut.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  listRun++;
  verifyRun++;
  state.page = null;
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
ui.next.addEventListener('click', () => loadPage('next'));
ui.prev.addEventListener('click', () => loadPage('prev'));
ui.verify.addEventListener('click', () => verify());

byId('tz').textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || 'browser time zone';
if (sessionStorage.getItem(TOKEN_KEY)) start();
else showSignedIn();
`;
