import { DomainError, ERROR_CODES, ErrorCode, ErrorKind } from '@nwd/errors';

/** RFC 9457 problem document, with a stable `code` clients can switch on. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

/** Codes only the HTTP edge answers with, for statuses no domain error kind maps to. */
export const HTTP_ONLY_CODES = ['route.method-not-allowed', 'request.too-large', 'request.uri-too-long', 'request.unsupported-media-type', 'internal'] as const;
export type ProblemCode = ErrorCode | (typeof HTTP_ONLY_CODES)[number];

/**
 * Every `code` a problem document of ours carries (the OpenAPI problem schema may enumerate them),
 * except `http.<status>` for a framework refusal of a status no code names.
 */
export const PROBLEM_CODES: readonly ProblemCode[] = [...ERROR_CODES, ...HTTP_ONLY_CODES];

export const PROBLEM_TYPE_BASE = 'https://nowrongdoor.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one place an error kind becomes an HTTP status; exhaustive so a new kind cannot be forgotten. */
export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unprocessable':
      return 422;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Request Error');
}

export function problemFromDomainError(error: DomainError): ProblemDocument {
  const status = statusOf(error.kind);
  return {
    type: PROBLEM_TYPE_BASE + error.code,
    title: titleOf(status),
    status,
    detail: error.message,
    code: error.code,
    ...error.extensions,
  };
}
