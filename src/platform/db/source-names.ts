/** The city's shared databases behind the gateway; each is owned by a different department. */
export const SOURCE_NAMES = ['reference', 'population', 'business', 'services', 'opendata', 'ioc', 'audit'] as const;

export type SourceName = (typeof SOURCE_NAMES)[number];

/** The environment variable that points one source at a PostgreSQL server. */
export function sourceUrlVariable(source: SourceName): string {
  return `${source.toUpperCase()}_DATABASE_URL`;
}
