// Errors the command line reports as one line. A UsageError is the user's
// to fix (bad option, missing or wrong file) and exits with code 2.
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(problem: string, fix?: string) {
    super(fix ? `${problem}; ${fix}` : problem);
    this.name = 'UsageError';
  }
}

/** Collapse a message to a single line. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export function errorMessage(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e));
}
