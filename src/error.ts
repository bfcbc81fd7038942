/** Stable error codes; a CLI maps every ShearsError to exit code 2 (bad input), anything else to 1 (a bug). */
export type ErrorCode =
  | 'E_PARSE'
  | 'E_MODEL_INVALID'
  | 'E_UNSUPPORTED_OP'
  | 'E_SHAPE'
  | 'E_EXTERNAL_DATA'
  | 'E_PIPELINE'
  | 'E_IO'
  | 'E_USAGE';

export interface ErrorSubject {
  node?: string;
  tensor?: string;
  path?: string;
}

export class ShearsError extends Error {
  readonly code: ErrorCode;
  readonly subject: ErrorSubject;

  constructor(code: ErrorCode, message: string, subject: ErrorSubject = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShearsError';
    this.code = code;
    this.subject = subject;
  }
}

export function fail(code: ErrorCode, message: string, subject?: ErrorSubject): never {
  throw new ShearsError(code, message, subject);
}

/** Characters that would break a one-line message or reorder how it reads (bidi controls). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Make text from an untrusted file safe to show on one line: control characters become \uXXXX. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A name from a file, quoted for a message: escaped, and cut short when a hostile file makes it huge. */
export function quoted(name: string, max = 80): string {
  return `'${printable(name.length > max ? `${name.slice(0, max)}…` : name)}'`;
}
