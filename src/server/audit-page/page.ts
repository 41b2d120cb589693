import { createHash } from 'node:crypto';
import { PURPOSES } from '../../access/roles.js';

/**
 * The auditor's page as strings, not files: tsc does not copy static assets into dist/, and a
 * string needs no path resolution at run time. The style block is allowed by its hash in the
 * Content-Security-Policy, so the page needs no 'unsafe-inline' for anything.
 */
const STYLE = `
:root { color-scheme: light; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0 auto; max-width: 1280px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.45rem; margin: 0 0 .2rem; }
h2 { font-size: 1rem; margin: 0 0 .5rem; }
header p, .note { margin: 0; color: #555; }
section { margin-top: 1.1rem; }
form { display: flex; flex-wrap: wrap; gap: .5rem .9rem; align-items: flex-end; }
label { display: flex; flex-direction: column; gap: .15rem; font-size: .85rem; color: #333; }
input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid #8c8c8c; border-radius: 3px; background: #fff; color: inherit; }
input[type=text] { width: 10rem; }
#token { width: 30rem; max-width: 80vw; font-family: ui-monospace, Menlo, Consolas, monospace; }
button { cursor: pointer; background: #f1f1f1; }
button:disabled { cursor: default; opacity: .45; }
button.primary { background: #1f4e8c; border-color: #1f4e8c; color: #fff; }
#who { margin: .4rem 0 0; color: #444; }
#error { margin: 1rem 0 0; padding: .5rem .75rem; border: 1px solid #b00020; background: #fdecee; color: #7a0016; font-weight: 600; }
.verification { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
.verification + .verification { margin-top: .5rem; }
#verification { padding: .4rem .75rem; border: 1px solid #8c8c8c; border-radius: 3px; background: #f1f1f1; }
#verification[data-state=ok] { background: #e7f4ea; border-color: #1e7e34; color: #0f5323; }
#verification[data-state=bad] { background: #fdecee; border-color: #b00020; color: #7a0016; }
#checkpoint { padding: .4rem .75rem; border: 1px solid #8c8c8c; border-radius: 3px; background: #f1f1f1; }
#checkpoint[data-state=ok] { background: #e7f4ea; border-color: #1e7e34; color: #0f5323; }
#checkpoint[data-state=bad] { background: #fdecee; border-color: #b00020; color: #7a0016; }
td.proof { font-size: .85rem; }
td.proof-verified { color: #0f5323; }
td.proof-pending { color: #8a5a00; }
td.proof-failed { color: #b00020; font-weight: 600; }
.bar { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-bottom: .5rem; }
table { border-collapse: collapse; width: 100%; }
caption { caption-side: top; text-align: left; color: #555; padding-bottom: .3rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; border-bottom: 2px solid #bbb; white-space: nowrap; }
td.time, td.seq { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.seq { text-align: right; color: #555; }
tbody tr:nth-child(even) { background: #fafafa; }
td.outcome-DENIED { color: #b00020; font-weight: 600; }
td.outcome-MASKED { color: #8a5a00; font-weight: 600; }
tr.bad, tr.bad:nth-child(even) { background: #fdecee; }
table[aria-busy=true] tbody { opacity: .5; }
`;

/** A plain icon, so that the browser does not ask the gateway's root for /favicon.ico. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4e8c"/>' +
  '<path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.6"/></svg>';

export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const purposeOptions = Object.entries(PURPOSES)
  .map(([code, description]) => `<option value="${escapeHtml(code)}" title="${escapeHtml(description)}">${escapeHtml(code)}</option>`)
  .join('');

const TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="graphql-endpoint" content="{{endpoint}}">
<title>Access log · Da Nang data gateway</title>
<link rel="icon" type="image/svg+xml" href="{{base}}/favicon.svg">
<style>${STYLE}</style>
<script type="module" src="{{base}}/app.js"></script>
</head>
<body>
<header>
  <h1>Access log</h1>
  <p>Who read which personal data, when and why. For auditors and admins.</p>
</header>
<main>
  <section aria-labelledby="h-sign-in">
    <h2 id="h-sign-in">Sign in</h2>
    <form id="token-form" autocomplete="off">
      <label>Token <input id="token" name="token" type="password" spellcheck="false" placeholder="Paste a bearer token (role auditor or admin)"></label>
      <button id="sign-in" class="primary" type="submit">Sign in</button>
      <button id="sign-out" type="button">Sign out</button>
    </form>
    <p id="who">Not signed in. The token stays in this tab only (session storage).</p>
  </section>

  <section aria-labelledby="h-verification">
    <h2 id="h-verification">Integrity of the log</h2>
    <div class="verification">
      <div id="checkpoint" role="status" data-state="unknown" data-size=""><strong id="checkpoint-state">No checkpoint yet</strong> <span id="checkpoint-detail">This page verifies the log's signed checkpoint (the keys of /.well-known/access-log/key), its consistency with the checkpoint this browser saw before, and every row it shows.</span></div>
    </div>
    <div class="verification">
      <div id="verification" role="status" data-state="unknown" data-checks="0"><strong id="verification-state">Not verified</strong> <span id="verification-detail">Sign in to verify the hash chain.</span></div>
      <button id="verify" type="button" disabled>Verify now</button>
    </div>
  </section>

  <section aria-labelledby="h-filters">
    <h2 id="h-filters">Filters</h2>
    <form id="filter-form" autocomplete="off">
      <label>Subject type <select name="subjectType"><option value="">Any</option><option>CITIZEN</option><option>HOUSEHOLD</option></select></label>
      <label>Subject id <input type="text" name="subject" inputmode="numeric"></label>
      <label>Actor <input type="text" name="actor" placeholder="token subject"></label>
      <label>Agency <input type="text" name="agency" placeholder="e.g. STP"></label>
      <label>Purpose <select name="purpose"><option value="">Any</option>${purposeOptions}</select></label>
      <label>Outcome <select id="outcome" name="outcome"><option value="">Any</option><option>GRANTED</option><option>MASKED</option><option>DENIED</option><option>FOUND_BY</option><option>COUNTED_BY</option></select></label>
      <label>From (at or after) <input type="datetime-local" name="from" step="1"></label>
      <label>To (before) <input type="datetime-local" name="to" step="1"></label>
      <label>Per page <select id="size" name="size"><option>10</option><option selected>20</option><option>50</option><option>100</option></select></label>
      <button id="apply" class="primary" type="submit">Apply</button>
      <button id="clear" type="button">Clear</button>
    </form>
  </section>

  <p id="error" role="alert" hidden></p>

  <section aria-labelledby="h-entries">
    <h2 id="h-entries">Entries</h2>
    <div class="bar">
      <span id="summary">Entries <span id="range">–</span> of <span id="total">–</span></span>
      <button id="prev" type="button" disabled>← Previous</button>
      <button id="next" type="button" disabled>Next →</button>
    </div>
    <table id="entries" aria-busy="false" data-loads="0">
      <caption>Newest first. Times are local (<span id="tz"></span>); hover a time for UTC.</caption>
      <thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Role</th><th>Agency</th><th>Purpose</th><th>Case ref</th><th>Subject</th><th>Fields</th><th>Outcome</th><th>Found by</th><th>In the log</th></tr></thead>
      <tbody id="rows"></tbody>
    </table>
  </section>
</main>
</body>
</html>
`;

export interface PageOptions {
  /** Where the router is mounted (the script is served below it). */
  base: string;
  /** The GraphQL endpoint the page calls. */
  endpoint: string;
}

export function renderPage(options: PageOptions): string {
  // Function replacements: a `$` in a value is not a replacement pattern.
  return TEMPLATE.replace('{{endpoint}}', () => escapeHtml(options.endpoint)).replaceAll('{{base}}', () => escapeHtml(options.base));
}
