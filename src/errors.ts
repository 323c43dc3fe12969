/**
 * An error the user can cause and fix (a bad file, an unknown column, an unknown area).
 * The CLI prints its message and hint, without a stack trace, and exits with its code.
 * Anything else that is thrown is a bug, and is reported as one.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly options: { hint?: string; exitCode?: number; file?: string; line?: number; code?: string; column?: ColumnQuestion } = {},
  ) {
    super(message);
  }
  get exitCode(): number {
    return this.options.exitCode ?? 2;
  }
  /** What went wrong as a code (e.g. `INCOME_BELOW_LOCAL_SPEND`, `STRICT`), for scripts and tests; wording may change. */
  get code(): string | undefined {
    return this.options.code;
  }
}

/** A column the tool could not choose (COLUMN_AMBIGUOUS, COLUMN_MISSING): the field, and the headers a person may pick from, likeliest first. */
export interface ColumnQuestion {
  field: string;
  describe: string;
  headers: string[];
}

/** An input file cannot be used at all: missing, unreadable, no header, a required column absent. */
export class InputError extends UserError {
  override get exitCode(): number {
    return this.options.exitCode ?? 1;
  }
}

/** The command line or project file asks for something invalid. */
export class UsageError extends UserError {}
