import express, { type Router } from 'express';
import { FAVICON_SVG, PAGE_STYLE_HASH, renderPage } from './page.js';

export interface AuditPageOptions {
  /** The GraphQL endpoint the page calls (same origin). */
  graphqlPath?: string;
}

/**
 * The auditor's page over the access-log API: GET / serves the HTML, GET /app.js its script
 * (and /favicon.svg its icon). The script is browser/ (TypeScript), bundled by scripts/bundle-audit-page.ts into
 * app-script.generated.ts, a string like the page's HTML (see bundle.ts for why).
 * Nothing here reads data: the page calls the same GraphQL API with the auditor's token, so the
 * API's rules (auditor or admin, else FORBIDDEN) are the only rules. It runs the documents of
 * src/clients/operations/auditor-console.graphql by their hash: trusted documents, which a
 * production gateway runs.
 */
export function auditPageRouter(options: AuditPageOptions = {}): Router {
  const endpoint = options.graphqlPath ?? '/graphql';
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${PAGE_STYLE_HASH}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');

  const router = express.Router();
  router.get('/', (req, res) => {
    res.set({
      'Content-Security-Policy': contentSecurityPolicy,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    // baseUrl is where the router is mounted (/audit): the script is served below it.
    res.type('html').send(renderPage({ base: req.baseUrl, endpoint }));
  });
  router.get('/app.js', async (_req, res) => {
    // Imported on the first request: the bundle (about 80,000 characters, held twice by V8) stays
    // out of the heap of a gateway no auditor opens.
    const { APP_SCRIPT } = await import('./app-script.generated.js');
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    res.type('text/javascript').send(APP_SCRIPT);
  });
  router.get('/favicon.svg', (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'max-age=86400' });
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  return router;
}
