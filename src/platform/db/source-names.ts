/** The environment variable that points one source at a PostgreSQL server. */
export function sourceUrlVariable(source: string): string {
  return `${source.toUpperCase()}_DATABASE_URL`;
}
