/** Roles an API client can hold. */
export const ROLES = ['network-admin', 'org-admin', 'staff', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller, from the access token: first argument of every service method that touches tenant data. */
export interface Principal {
  /** The API client's id (`sub`). */
  subject: string;
  /** The organization the client belongs to (`org`). */
  organizationId: string;
  roles: Role[];
  /** Token issue time (seconds), checked against the deny-list. */
  issuedAt: number;
  /** The client's own requests per minute (`rate_limit` claim), when a network admin set one; else the service's default. */
  rateLimitPerMinute?: number;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

export function isNetworkAdmin(principal: Principal): boolean {
  return principal.roles.includes('network-admin');
}
