import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** sha256 of a document's text, in hex: the key of the manifest, Apollo's queryHash and the access log's documentHash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `sha256:<hex>` (GraphQL over HTTP persisted documents) and `<hex>` (Apollo's APQ) name the same document. */
export function normalizeHash(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const hex = value.startsWith('sha256:') ? value.slice('sha256:'.length) : value;
  return /^[0-9a-fA-F]{64}$/.test(hex) ? hex.toLowerCase() : null;
}

/** The folder holding the project's package.json, from this module (src/… under tsx, dist/src/… when built). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const DEFAULT_MANIFEST = path.join('src', 'generated', 'persisted-documents.json');

/**
 * Where the manifest is: `TRUSTED_DOCUMENTS` (absolute, or relative to the working directory), or
 * src/generated/persisted-documents.json of the project.
 */
export function manifestPath(env: Record<string, string | undefined> = process.env): string {
  const configured = env.TRUSTED_DOCUMENTS?.trim();
  return configured ? path.resolve(configured) : path.join(projectRoot(), DEFAULT_MANIFEST);
}

export class ManifestError extends Error {}

/**
 * Reads a manifest: a JSON object of `hash → document`. Every hash must be the sha256 of its
 * document, so that what runs is exactly what was reviewed, and what the access log records
 * (`documentHash`) is the manifest's key.
 */
export function readManifest(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ManifestError(`Trusted documents manifest ${file}: ${reason}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ManifestError(`Trusted documents manifest ${file}: expected a JSON object of hash → document`);
  }
  const documents = new Map<string, string>();
  for (const [key, document] of Object.entries(parsed)) {
    const hash = normalizeHash(key);
    if (!hash) throw new ManifestError(`Trusted documents manifest ${file}: "${key}" is not a sha256 hash`);
    if (typeof document !== 'string') throw new ManifestError(`Trusted documents manifest ${file}: the document of ${key} is not a string`);
    if (sha256Hex(document) !== hash) throw new ManifestError(`Trusted documents manifest ${file}: ${key} is not the sha256 of its document`);
    documents.set(hash, document);
  }
  return documents;
}

/** The trusted documents in force: replaced as a whole on reload, never half-read. */
export class TrustedDocumentManifest {
  private documents: ReadonlyMap<string, string>;
  /** When the manifest was last read successfully. */
  loadedAt: Date;

  constructor(
    readonly file: string,
    options: { required: boolean },
  ) {
    try {
      this.documents = readManifest(file);
    } catch (error) {
      if (options.required) throw error;
      this.documents = new Map();
    }
    this.loadedAt = new Date();
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document stored under a hash (`sha256:` prefix or not). */
  lookup(hash: unknown): string | undefined {
    const key = normalizeHash(hash);
    return key ? this.documents.get(key) : undefined;
  }

  /** Whether this exact text is a trusted document. */
  contains(text: string): boolean {
    return this.documents.has(sha256Hex(text));
  }

  /** Reads the file again; on any problem the documents in force stay and the error is thrown. */
  reload(): number {
    this.documents = readManifest(this.file);
    this.loadedAt = new Date();
    return this.documents.size;
  }
}
