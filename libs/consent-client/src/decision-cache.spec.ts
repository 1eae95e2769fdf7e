import type { ConsentDecision, DecideRequest } from '@nwd/contracts';
import type { MessagingClient, NatsClient } from '@nwd/messaging';
import { ConsentDecisionCache } from './decision-cache';

const encoder = new TextEncoder();
const permit: ConsentDecision = { permitted: true, allowed: ['contact'], withheld: [], consentIds: [] };
const ask = (clientId: string): DecideRequest => ({ clientId, recipientOrganizationId: 'org-b', purpose: 'referral', categories: ['contact'], sourceOrganizationIds: ['org-a'] });

/** A cache over a fake connection: events are delivered by calling `publish`. */
function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const callbacks = new Map<string, (error: unknown, message: { data: Uint8Array }) => void>();
  const nats = {
    subject: (s: string) => s,
    connection: {
      subscribe: (subject: string, { callback }: { callback: (error: unknown, message: { data: Uint8Array }) => void }) => {
        callbacks.set(subject, callback);
        return { unsubscribe: () => callbacks.delete(subject) };
      },
      status: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }),
    },
  } as unknown as NatsClient;
  const replies: (() => void)[] = [];
  const request = jest.fn(() => new Promise<ConsentDecision>((resolve) => replies.push(() => resolve(permit))));
  let now = 0;
  const cache = new ConsentDecisionCache({ request } as unknown as MessagingClient, nats, { ...options, now: () => now });
  cache.listen();
  return {
    cache,
    request,
    answer: () => (replies.splice(0).forEach((reply) => reply()), undefined),
    publish: (subject: string, data: object) => callbacks.get(subject)!(null, { data: encoder.encode(JSON.stringify({ type: subject, data })) }),
    advance: (ms: number) => (now += ms),
  };
}

describe('ConsentDecisionCache', () => {
  it('does not keep a decision asked before a revocation and answered after it', async () => {
    const { cache, answer, publish } = setup();
    const pending = cache.decide(ask('client-1'));
    publish('consent.v1.revoked', { consentId: 'c', clientId: 'client-1', occurredAt: '2026-12-01T00:00:00Z' });
    answer();
    await pending;
    expect(cache.holds(ask('client-1'))).toBe(false);
  });

  it('keeps a decision for its TTL only', async () => {
    const { cache, answer, advance } = setup({ ttlMs: 1000 });
    const pending = cache.decide(ask('client-1'));
    answer();
    await pending;
    expect(cache.holds(ask('client-1'))).toBe(true);
    advance(1000);
    expect(cache.holds(ask('client-1'))).toBe(false);
  });

  it('forgets everything on a protections change', async () => {
    const { cache, answer, publish } = setup();
    for (const id of ['client-1', 'client-2']) {
      const pending = cache.decide(ask(id));
      answer();
      await pending;
    }
    publish('identity.v1.organization-protections-changed', { organizationId: 'org-b', protections: ['domestic-violence'], changedAt: '2026-12-01T00:00:00Z' });
    expect(cache.size).toBe(0);
  });

  it('follows a merge to both client ids, and holds at most maxEntries', async () => {
    const { cache, answer, publish } = setup({ maxEntries: 2 });
    for (const id of ['client-1', 'client-2', 'client-3']) {
      const pending = cache.decide(ask(id));
      answer();
      await pending;
    }
    expect(cache.size).toBe(2);
    expect(cache.holds(ask('client-1'))).toBe(false);
    publish('consent.v1.client-merged', { survivingClientId: 'client-2', mergedClientId: 'client-3', organizationId: 'o', occurredAt: '2026-12-01T00:00:00Z' });
    expect(cache.size).toBe(0);
  });
});
