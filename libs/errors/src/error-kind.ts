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

