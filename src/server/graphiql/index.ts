import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { FAVICON_SVG, INIT_SCRIPT, PAGE_STYLE, renderPage } from './page.js';

export interface GraphiqlOptions {
  /** Off in production: the router then answers nothing and /graphiql is a 404. */
  enabled: boolean;
  /** The GraphQL endpoint the IDE calls (same origin). */
  graphqlPath?: string;
}

/** Prebuilt browser bundles, served from node_modules: the IDE needs no internet access. */
interface Bundle {
  file: string;
  type: string;
}

function resolveBundles(): Record<string, Bundle> {
  const require = createRequire(import.meta.url);
  // React 18 ships UMD builds (React 19 does not); its package exports only package.json besides
  // the entry points, so the files are found next to it.
  const dirOf = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));
  return {
    'react.production.min.js': { file: path.join(dirOf('react'), 'umd', 'react.production.min.js'), type: 'text/javascript; charset=utf-8' },
    'react-dom.production.min.js': { file: path.join(dirOf('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
    'graphiql.min.js': { file: path.join(dirOf('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
    'graphiql.min.css': { file: path.join(dirOf('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
  };
}

/**
 * Everything from this origin. Fonts and icons inside GraphiQL's stylesheet are data: URLs (no
 * request leaves the page); React sets styles through the DOM, which style-src does not govern.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secure(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

/**
 * GraphiQL for front-end developers, working offline: GET / serves the page, /assets/* React,
 * ReactDOM and GraphiQL's prebuilt bundles from node_modules, /init.js and /page.css its own
 * script and style. The IDE calls the same GraphQL endpoint with the headers typed into its
 * header editor, so the API's rules are the only rules. Off in production (404).
 */
export function graphiqlRouter(options: GraphiqlOptions): Router {
  const router = express.Router();
  if (!options.enabled) return router;
  const endpoint = options.graphqlPath ?? '/graphql';

  let bundles: Record<string, Bundle> | undefined;
  let missing: string | undefined;
  try {
    bundles = resolveBundles();
  } catch (error) {
    missing = (error as Error).message;
  }

  router.get('/', (req, res) => {
    secure(res);
    res.set('Cache-Control', 'no-store');
    if (!bundles) {
      res.status(503).type('text/plain').send(`GraphiQL's files are not installed (npm install): ${missing}`);
      return;
    }
    res.type('html').send(renderPage({ base: req.baseUrl, endpoint }));
  });
  router.get('/assets/:name', (req, res, next) => {
    const bundle = bundles?.[req.params.name];
    if (!bundle || !Object.hasOwn(bundles!, req.params.name)) return next();
    secure(res);
    res.sendFile(bundle.file, { headers: { 'Content-Type': bundle.type, 'Cache-Control': 'public, max-age=3600' } }, (error) => error && next(error));
  });
  router.get('/init.js', (_req, res) => {
    secure(res);
    res.set('Cache-Control', 'no-cache');
    res.type('text/javascript').send(INIT_SCRIPT);
  });
  router.get('/page.css', (_req, res) => {
    secure(res);
    res.set('Cache-Control', 'no-cache');
    res.type('text/css').send(PAGE_STYLE);
  });
  router.get('/favicon.svg', (_req, res) => {
    secure(res);
    res.set('Cache-Control', 'max-age=86400');
    res.type('image/svg+xml').send(FAVICON_SVG);
  });
  return router;
}
