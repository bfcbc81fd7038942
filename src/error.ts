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
