import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller may choose as a request id: short, and nothing that could forge a log line or a header. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is safe to log and forward, otherwise undefined (a fresh one is made). */
export function acceptedRequestId(given: unknown): string | undefined {
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : undefined;
}

interface RequestContextStore {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * Carries the request id from an HTTP request into the events it causes and from a consumed
 * message into whatever its handler does, so one id follows a referral across services.
 * Ids arrive from callers (HTTP headers, NATS headers, event envelopes), so every entry point
 * passes through `run`, which replaces an id it would not accept at HTTP with a fresh one.
 */
export const RequestContext = {
  run<T>(requestId: string | undefined, fn: () => T): T {
    return storage.run({ requestId: acceptedRequestId(requestId) ?? randomUUID() }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
