import { DomainError } from '@nwd/errors';
import type { MessagingClient } from '@nwd/messaging';
import { Clock } from '@nwd/clock';
import { ConsentConfig } from '../consent.config';
import { OrganizationRegistry } from './organization-registry';

function registry(answer: () => Promise<object>) {
  const request = jest.fn(answer);
  const clock = new Clock();
  let now = Date.UTC(2026, 11, 1);
  jest.spyOn(clock, 'now').mockImplementation(() => new Date(now));
  const config = { NWD_ORGANIZATION_CACHE_SECONDS: 300 } as ConsentConfig;
  return { registry: new OrganizationRegistry({ request } as unknown as MessagingClient, clock, config), request, advance: (ms: number) => (now += ms) };
}

describe('OrganizationRegistry', () => {
  it('asks the directory once for a burst of lookups, and again after the cache time', async () => {
    const { registry: r, request, advance } = registry(async () => ({ id: 'org', name: 'x', kind: 'cbo', status: 'active', protections: ['substance-use'] }));
    const facts = await Promise.all([r.describe('org'), r.describe('org'), r.describe('org')]);
    expect(facts[0]).toEqual({ organizationId: 'org', kind: 'cbo', protections: ['substance-use'] });
    expect(request).toHaveBeenCalledTimes(1);
    advance(300_000);
    await r.describe('org');
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('takes protections from the feed over the directory’s reply', async () => {
    const { registry: r } = registry(async () => ({ id: 'org', name: 'x', kind: 'cbo', status: 'active', protections: [] }));
    r.setProtections('org', ['domestic-violence']);
    expect(await r.describe('org')).toEqual({ organizationId: 'org', kind: 'cbo', protections: ['domestic-violence'] });
    expect(r.protectedBy('domestic-violence')).toEqual(['org']);
  });

  it('decides without the kind for a few seconds when the directory cannot say, instead of asking on every decision', async () => {
    const { registry: r, request, advance } = registry(async () => {
      throw DomainError.unavailable('messaging.timeout', 'no answer');
    });
    expect(await r.describe('org')).toEqual({ organizationId: 'org', protections: [] });
    await r.describe('org');
    expect(request).toHaveBeenCalledTimes(1);
    advance(5_000);
    await r.describe('org');
    expect(request).toHaveBeenCalledTimes(2);
  });
});
