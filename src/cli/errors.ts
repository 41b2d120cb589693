/**
 * What the commands print when they cannot go on: one line with the cause an operator can act
 * on, never a stack (LOG_LEVEL=debug adds it, for a bug report).
 */

/** The message of an error and of its causes, on one line. */
export function oneLine(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof AggregateError && !current.message) parts.push(current.errors.map((e: unknown) => oneLine(e)).join('; '));
    else if (current instanceof Error) parts.push(current.message);
    else parts.push(String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = parts.filter((part, i) => part && !parts.slice(0, i).some((before) => before.includes(part))).join(': ');
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Prints a failure in one line (and the stack only when debugging). */
export function printFailure(error: unknown): void {
  console.error(oneLine(error));
  if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '') && error instanceof Error && error.stack) console.error(error.stack);
}

/** The listener's failure in words (`port 4000 is in use: …`), or undefined for any other error. */
export function listenProblem(error: unknown, port: number): string | undefined {
  const { code, syscall, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall !== 'listen') return undefined;
  if (code === 'EADDRINUSE') return `port ${port} is in use: ${message}; stop the process that listens on it, or set PORT to another port`;
  if (code === 'EACCES') return `port ${port} is not allowed for this user: ${message}; set PORT to a port above 1023`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on HOST ${process.env.HOST ?? '127.0.0.1'}: ${message}`;
  return `cannot listen on port ${port}: ${message}`;
}
