import { isNetworkAdmin, Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';

/**
 * Whose subscriptions and inbox a row belongs to: one organization, or the network itself. Network
 * admins are API clients with the `network-admin` role (libs/auth), not an organization of the
 * network, so what escalates to them is owned by the network: its subscriptions and inbox rows carry
 * no organization id, and only network admins read or change them (`scope=network`).
 */
export type NotificationOwner = { readonly kind: 'organization'; readonly organizationId: string } | { readonly kind: 'network' };

export const NOTIFICATION_SCOPES = ['organization', 'network'] as const;
export type NotificationScope = (typeof NOTIFICATION_SCOPES)[number];

export const NotificationOwner = {
  organization(organizationId: string): NotificationOwner {
    return { kind: 'organization', organizationId };
  },
  network: { kind: 'network' } as NotificationOwner,

  /** The owner a caller acts for: its own organization, or with `scope=network` the network (network admins only). */
  of(principal: Principal, scope: NotificationScope = 'organization'): NotificationOwner {
    if (scope === 'organization') return NotificationOwner.organization(principal.organizationId);
    if (!isNetworkAdmin(principal)) throw DomainError.forbidden('auth.role-required', 'This action requires one of the roles: network-admin');
    return NotificationOwner.network;
  },

  /** The organization id column's value: null for the network. */
  column(owner: NotificationOwner): string | null {
    return owner.kind === 'organization' ? owner.organizationId : null;
  },

  scopeOf(owner: NotificationOwner): NotificationScope {
    return owner.kind;
  },
};
