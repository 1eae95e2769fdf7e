import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

interface RequestContextStore {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * Carries the request id from an HTTP request into the events it causes and from a consumed
 * message into whatever its handler does, so one id follows a referral across services.
 */
export const RequestContext = {
  run<T>(requestId: string | undefined, fn: () => T): T {
    return storage.run({ requestId: requestId || randomUUID() }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
