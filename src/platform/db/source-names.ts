/**
 * The sources' names as the platform knows them, without importing the list of sources
 * (src/modules/index.ts imports the platform, so the platform may not import it back, not even
 * its types). The list fills this interface by declaration merging, one key per module, and
 * checks that its keys are exactly the modules' names: `SourceName` is then the same union
 * everywhere, and a misspelt source name fails typecheck in the platform as in the modules.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by src/modules/index.ts
export interface SourceNameRegistry {}

/** One of the sources' names (`population`, `business`...): a key of SourceNameRegistry. */
export type SourceName = keyof SourceNameRegistry & string;

/** The environment variable that points one source at a PostgreSQL server. */
export function sourceUrlVariable(source: string): string {
  return `${source.toUpperCase()}_DATABASE_URL`;
}
