import { PURPOSES } from '../../access/roles.js';

/**
 * GraphiQL's page, its start-up script and its style as strings, not files (tsc copies no static
 * files into dist/). The page has no inline script or style: the Content-Security-Policy allows
 * scripts, styles and connections to this origin only.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const PAGE_STYLE = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
#graphiql { flex: 1 1 auto; min-height: 0; }
#graphiql > .loading { padding: 1rem 1.5rem; color: #555; }
`;

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#e10098"/>' +
  '<path d="M8 2.5l4.8 2.75v5.5L8 13.5l-4.8-2.75v-5.5z" fill="none" stroke="#fff" stroke-width="1.3"/></svg>';

const purposes = Object.keys(PURPOSES).filter((p) => p !== 'SELF_SERVICE');

/** What the editor shows on a first visit: how to say who you are, and a query that works for anyone. */
export const DEFAULT_QUERY = `# Đà Nẵng city data gateway: GraphiQL (development only; off in production).
#
# Who you are: without a token you are the public caller. Open "Headers" below and paste
#   { "Authorization": "Bearer <token>" }
# with a development token minted by, for example,
#   npm run -s token -- --role officer --agency UBND-HC
#   npm run -s token -- --role citizen --citizen <12-digit national id>
#   npm run -s token -- --role analyst | auditor | admin
# Officers and admins reading personal data also say why, with "X-Purpose":
#   ${purposes.join(', ')}
#   (DOSSIER_PROCESSING also wants "X-Case-Reference": "<dossier code>").
# Headers are not stored in the browser. Run with Ctrl-Enter. Guide: docs/frontend.md

query OpenDatasets {
  datasets(first: 5, orderBy: DOWNLOADS) {
    totalCount
    edges {
      node {
        title
        category
        downloads
        publisher {
          name
        }
      }
    }
  }
}
`;

/**
 * Runs after React, ReactDOM and GraphiQL's bundle (their globals). The fetcher posts to the
 * gateway with the header editor's headers. A `?query=` (and `?variables=`) parameter opens that
 * query; the URL follows the editor so that a query can be shared. Headers never go into the URL.
 */
export const INIT_SCRIPT = `(function () {
  'use strict';
  var container = document.getElementById('graphiql');
  var endpoint = container.getAttribute('data-endpoint');
  var defaultQuery = container.getAttribute('data-default-query');
  var params = new URLSearchParams(window.location.search);

  function fetcher(graphQLParams, options) {
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, (options && options.headers) || {});
    return fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify(graphQLParams), credentials: 'omit' })
      .then(function (response) { return response.json(); });
  }

  function remember(name) {
    return function (value) {
      if (value) params.set(name, value); else params.delete(name);
      window.history.replaceState(null, '', window.location.pathname + (params.toString() ? '?' + params.toString() : ''));
    };
  }

  var props = {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    onEditQuery: remember('query'),
    onEditVariables: remember('variables'),
  };
  if (params.has('query')) props.query = params.get('query');
  if (params.has('variables')) props.variables = params.get('variables');

  ReactDOM.createRoot(container).render(React.createElement(GraphiQL, props));
})();
`;

export interface PageAssets {
  base: string;
  endpoint: string;
}

export function renderPage({ base, endpoint }: PageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>GraphiQL · Đà Nẵng city data gateway</title>
<link rel="icon" href="${escapeHtml(base)}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${escapeHtml(base)}/assets/graphiql.min.css">
<link rel="stylesheet" href="${escapeHtml(base)}/page.css">
<script src="${escapeHtml(base)}/assets/react.production.min.js" defer></script>
<script src="${escapeHtml(base)}/assets/react-dom.production.min.js" defer></script>
<script src="${escapeHtml(base)}/assets/graphiql.min.js" defer></script>
<script src="${escapeHtml(base)}/init.js" defer></script>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(endpoint)}" data-default-query="${escapeHtml(DEFAULT_QUERY)}"><p class="loading">Loading GraphiQL…</p></div>
</body>
</html>
`;
}
