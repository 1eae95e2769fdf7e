import type { PartnerCredential } from './partner-credential.entity';

/**
 * The account JWT's revocations for these credentials: each user's public key with its JWT's
 * issue time. NATS refuses a user JWT issued at or before its revocation time, and every
 * credential has its own key, so the issue time is exact whatever the service's clock says.
 */
export function revocationList(revoked: Pick<PartnerCredential, 'publicKey' | 'issuedAt'>[]): Record<string, number> {
  return Object.fromEntries(revoked.map((c) => [c.publicKey, Math.floor(c.issuedAt.getTime() / 1000)]));
}
