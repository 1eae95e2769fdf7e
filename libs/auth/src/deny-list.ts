import type { CodeOfKind } from '@nwd/errors';
import { Principal } from './principal';

/**
 * Tokens that must stop working before they expire. Tokens are verified locally on every service,
 * so revocation travels as identity events and each service keeps this list in memory.
 */
export class DenyList {
  private readonly revokedClients = new Set<string>();
  /** Client id → rotation time (ms): tokens issued before it are refused. */
  private readonly rotatedClients = new Map<string, number>();
  private readonly suspendedOrganizations = new Set<string>();

  revokeClient(clientId: string): void {
    this.revokedClients.add(clientId);
  }

  rotateClient(clientId: string, rotatedAt: Date): void {
    const previous = this.rotatedClients.get(clientId) ?? 0;
    this.rotatedClients.set(clientId, Math.max(previous, rotatedAt.getTime()));
  }

  suspendOrganization(organizationId: string): void {
    this.suspendedOrganizations.add(organizationId);
  }

  reactivateOrganization(organizationId: string): void {
    this.suspendedOrganizations.delete(organizationId);
  }

  /** Known within a second or two of the directory's change, on every service. */
  isSuspended(organizationId: string): boolean {
    return this.suspendedOrganizations.has(organizationId);
  }

  /** Why this principal's token is refused, or undefined when it is not. */
  refusal(principal: Principal): { code: CodeOfKind<'unauthenticated'>; reason: string } | undefined {
    if (this.revokedClients.has(principal.subject)) {
      return { code: 'auth.client-revoked', reason: 'The API client was revoked' };
    }
    if (this.suspendedOrganizations.has(principal.organizationId)) {
      return { code: 'auth.organization-suspended', reason: 'The organization is suspended' };
    }
    const rotatedAt = this.rotatedClients.get(principal.subject);
    // `iat` has whole seconds: a token from the rotation's own second counts as older (refusing
    // for under a second beats accepting a token minted with a leaked secret).
    if (rotatedAt !== undefined && principal.issuedAt * 1000 <= rotatedAt) {
      return { code: 'auth.client-rotated', reason: 'The API client secret was rotated after this token was issued' };
    }
    return undefined;
  }
}
