import { DenyList } from './deny-list';
import { Principal } from './principal';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  subject: 'client-1',
  organizationId: 'org-1',
  roles: ['staff'],
  issuedAt: 1_000,
  ...overrides,
});

describe('DenyList', () => {
  it('accepts tokens of clients and organizations it knows nothing against', () => {
    expect(new DenyList().refusal(principal())).toBeUndefined();
  });

  it('refuses every token of a revoked client, and only of that client', () => {
    const list = new DenyList();
    list.revokeClient('client-1');
    expect(list.refusal(principal())?.code).toBe('auth.client-revoked');
    expect(list.refusal(principal({ subject: 'client-2' }))).toBeUndefined();
  });

  it('refuses tokens of a suspended organization until it is reactivated', () => {
    const list = new DenyList();
    list.suspendOrganization('org-1');
    expect(list.refusal(principal({ subject: 'another-client' }))?.code).toBe('auth.organization-suspended');
    list.reactivateOrganization('org-1');
    expect(list.refusal(principal())).toBeUndefined();
  });

  it('refuses tokens issued before a rotation and accepts those issued after', () => {
    const list = new DenyList();
    list.rotateClient('client-1', new Date(1_000_500));
    expect(list.refusal(principal({ issuedAt: 1_000 }))?.code).toBe('auth.client-rotated');
    expect(list.refusal(principal({ issuedAt: 1_001 }))).toBeUndefined();
  });

  it('keeps the latest rotation when events arrive out of order', () => {
    const list = new DenyList();
    list.rotateClient('client-1', new Date(2_000_000));
    list.rotateClient('client-1', new Date(1_000_000));
    expect(list.refusal(principal({ issuedAt: 1_500 }))?.code).toBe('auth.client-rotated');
  });
});
