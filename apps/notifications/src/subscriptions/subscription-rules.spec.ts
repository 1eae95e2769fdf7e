import { DomainError } from '@nwd/errors';
import { NotificationOwner } from '../recipients/notification-owner';
import { subscriptionFrom } from './subscription-rules';

const context = { id: '0190d8a4-5e2b-7c3d-8e4f-a1b2c3d4e5f6', owner: NotificationOwner.organization('0190d8a4-0000-7000-8000-000000000001'), now: new Date('2026-03-04T11:00:00Z'), defaultDigestTime: '08:00' };

function fieldOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return ((error as DomainError).extensions.errors as { field: string }[])[0]?.field;
  }
  return undefined;
}

describe('subscriptionFrom', () => {
  it('defaults the zone to UTC and reckons the first digest at the network’s time', () => {
    const s = subscriptionFrom(undefined, { channel: 'email', address: 'a@example.org', eventTypes: ['referral.v1.requested'], language: 'es', digest: 'daily' }, context);
    expect(s.timeZone).toBe('UTC');
    expect(s.nextDigestAt).toEqual(new Date('2026-03-05T08:00:00Z'));
    expect(s.quietHours).toBeNull();
  });

  it('refuses mail-only settings on an in-app subscription, naming the field', () => {
    const base = { channel: 'in-app' as const, eventTypes: ['referral.v1.requested' as const], language: 'en' as const };
    expect(fieldOf(() => subscriptionFrom(undefined, { ...base, address: 'a@example.org' }, context))).toBe('address');
    expect(fieldOf(() => subscriptionFrom(undefined, { ...base, quietHours: { start: '22:00', end: '07:00' } }, context))).toBe('quietHours');
    expect(fieldOf(() => subscriptionFrom(undefined, { ...base, digest: 'daily' }, context))).toBe('digest');
  });

  it('refuses a digest time without a digest', () => {
    expect(fieldOf(() => subscriptionFrom(undefined, { channel: 'email', address: 'a@example.org', eventTypes: ['referral.v1.requested'], language: 'en', digestTime: '09:00' }, context))).toBe('digestTime');
  });

  it('keeps the digest schedule unless its time or zone changes, and clears it with the digest', () => {
    const created = subscriptionFrom(undefined, { channel: 'email', address: 'a@example.org', eventTypes: ['referral.v1.requested'], language: 'en', digest: 'daily' }, context);
    const later = { ...context, now: new Date('2026-03-04T20:00:00Z') };
    expect(subscriptionFrom(created, { language: 'es' }, later).nextDigestAt).toEqual(created.nextDigestAt);
    expect(subscriptionFrom(created, { timeZone: 'America/New_York' }, later).nextDigestAt).toEqual(new Date('2026-03-05T13:00:00Z'));
    const cleared = subscriptionFrom(created, { digest: null }, later);
    expect(cleared.digest).toBeNull();
    expect(cleared.nextDigestAt).toBeNull();
  });
});
