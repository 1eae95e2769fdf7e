import { Principal } from '@nwd/auth';
import { NotificationOwner } from './notification-owner';

const principal = (roles: Principal['roles']): Principal => ({ subject: 'client-1', organizationId: '0190d8a4-0000-7000-8000-000000000001', roles, issuedAt: 0 });

describe('NotificationOwner.of', () => {
  it('is the caller’s organization by default, whatever its roles', () => {
    expect(NotificationOwner.of(principal(['org-admin']))).toEqual({ kind: 'organization', organizationId: '0190d8a4-0000-7000-8000-000000000001' });
    expect(NotificationOwner.of(principal(['network-admin']), 'organization')).toEqual({ kind: 'organization', organizationId: '0190d8a4-0000-7000-8000-000000000001' });
  });

  it('is the network only for a network admin', () => {
    expect(NotificationOwner.of(principal(['network-admin']), 'network')).toEqual({ kind: 'network' });
    expect(() => NotificationOwner.of(principal(['org-admin', 'staff']), 'network')).toThrow(/network-admin/);
  });

  it('stores the network as no organization', () => {
    expect(NotificationOwner.column(NotificationOwner.network)).toBeNull();
    expect(NotificationOwner.scopeOf(NotificationOwner.network)).toBe('network');
  });
});
