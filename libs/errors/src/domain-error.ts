/**
 * What went wrong, in the domain's terms. The HTTP layer maps a kind to a status in one place
 * (libs/http problem-details filter) and the messaging layer maps it to retry or dead-letter,
 * so services never pick status codes or retry policies themselves.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'rate-limited'
  | 'unavailable';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `client.birthDate`. */
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    /** Stable, documented machine code, e.g. `referral.illegal-transition`. */
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    /** Extra members for the problem document (allowed transitions, field problems, …). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(code: string, message: string, errors: FieldProblem[]): DomainError {
    return new DomainError(code, 'invalid', message, { errors });
  }

  static unauthenticated(code: string, message: string): DomainError {
    return new DomainError(code, 'unauthenticated', message);
  }

  static notFound(code: string, message: string): DomainError {
    return new DomainError(code, 'not-found', message);
  }

  static forbidden(code: string, message: string): DomainError {
    return new DomainError(code, 'forbidden', message);
  }

  static conflict(code: string, message: string, extensions: Record<string, unknown> = {}): DomainError {
    return new DomainError(code, 'conflict', message, extensions);
  }

  static unprocessable(code: string, message: string, extensions: Record<string, unknown> = {}): DomainError {
    return new DomainError(code, 'unprocessable', message, extensions);
  }

  /** 429; the HTTP layer sends `Retry-After` with the seconds given. */
  static rateLimited(code: string, message: string, retryAfterSeconds: number, extensions: Record<string, unknown> = {}): DomainError {
    return new DomainError(code, 'rate-limited', message, { ...extensions, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }

  static unavailable(code: string, message: string): DomainError {
    return new DomainError(code, 'unavailable', message);
  }
}

/** True when retrying the same work later may succeed (a dependency was down), so consumers back off instead of dead-lettering. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DomainError) return error.kind === 'unavailable';
  // Anything that is not a domain decision (driver errors, timeouts, lost connections) is presumed transient.
  return true;
}
