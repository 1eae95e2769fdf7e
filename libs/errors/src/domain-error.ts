import { CodeOfKind, ErrorCode, kindOf } from './error-codes';
import { ErrorKind } from './error-kind';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `client.birthDate`. */
  field: string;
  messages: string[];
}

type Extensions = Record<string, unknown>;

/**
 * A domain decision with a stable code. The kind comes from the code's catalog entry: each
 * constructor accepts only the codes of its kind, so a code cannot be thrown as another kind.
 */
export class DomainError extends Error {
  protected constructor(
    /** Stable, documented machine code, e.g. `referral.illegal-transition` (see error-codes.ts). */
    readonly code: ErrorCode,
    readonly kind: ErrorKind,
    message: string,
    /** Extra members for the problem document (allowed transitions, field problems, …). */
    readonly extensions: Extensions = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** Any code, with the kind its catalog entry gives. */
  static of(code: ErrorCode, message: string, extensions: Extensions = {}): DomainError {
    return new DomainError(code, kindOf(code), message, extensions);
  }

  /**
   * An error whose code need not be in this build's catalog, so its kind travels with it: what
   * another service answered a request with (it may be newer than this one), or a test probe's.
   */
  static foreign(error: { code: string; kind: ErrorKind; message: string; extensions?: Record<string, unknown> }): DomainError {
    return new DomainError(error.code as ErrorCode, error.kind, error.message, error.extensions ?? {});
  }

  static invalid(code: CodeOfKind<'invalid'>, message: string, errors: FieldProblem[]): DomainError {
    return new DomainError(code, 'invalid', message, { errors });
  }

  /** The 400 the validation pipe answers: one entry per offending field, detail `Invalid <fields>` unless told. */
  static invalidFields(errors: FieldProblem[], message = `Invalid ${errors.map((e) => e.field).join(', ')}`): DomainError {
    return DomainError.invalid('request.validation-failed', message, errors);
  }

  /** `invalidFields` for one field with one message. */
  static invalidField(field: string, fieldMessage: string, message?: string): DomainError {
    return DomainError.invalidFields([{ field, messages: [fieldMessage] }], message);
  }

  static unauthenticated(code: CodeOfKind<'unauthenticated'>, message: string): DomainError {
    return new DomainError(code, 'unauthenticated', message);
  }

  static notFound(code: CodeOfKind<'not-found'>, message: string): DomainError {
    return new DomainError(code, 'not-found', message);
  }

  static forbidden(code: CodeOfKind<'forbidden'>, message: string): DomainError {
    return new DomainError(code, 'forbidden', message);
  }

  static conflict(code: CodeOfKind<'conflict'>, message: string, extensions: Extensions = {}): DomainError {
    return new DomainError(code, 'conflict', message, extensions);
  }

  static unprocessable(code: CodeOfKind<'unprocessable'>, message: string, extensions: Extensions = {}): DomainError {
    return new DomainError(code, 'unprocessable', message, extensions);
  }

  /** 429; the HTTP layer sends `Retry-After` with the seconds given. */
  static rateLimited(code: CodeOfKind<'rate-limited'>, message: string, retryAfterSeconds: number, extensions: Extensions = {}): DomainError {
    return new DomainError(code, 'rate-limited', message, { ...extensions, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }

  static unavailable(code: CodeOfKind<'unavailable'>, message: string): DomainError {
    return new DomainError(code, 'unavailable', message);
  }
}

/** True when retrying the same work later may succeed (a dependency was down), so consumers back off instead of dead-lettering. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DomainError) return error.kind === 'unavailable';
  // Anything that is not a domain decision (driver errors, timeouts, lost connections) is presumed transient.
  return true;
}
