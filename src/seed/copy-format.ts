/** Encodes rows in PostgreSQL's COPY text format, batched into chunks for streaming. */

function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return field(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

export function copyLine(values: readonly unknown[]): string {
  return `${values.map(field).join('\t')}\n`;
}

/** Joins generated rows into ~1 MB chunks of COPY text. */
export function* copyChunks(rows: Iterable<readonly unknown[]>, chunkSize = 1 << 20): Generator<string> {
  let buffer = '';
  for (const row of rows) {
    buffer += copyLine(row);
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
