import { readFileSync } from 'node:fs';
import { createUser, decode, encodeAccount, encodeUser, fmtCreds, fromSeed, KeyPair } from '@nats-io/jwt';
import { NatsConnection } from 'nats';
import { CLAIMS_LOOKUP, CLAIMS_UPDATE, PartnerIssuerMaterial } from './network-credentials';
import { partnerPermissions } from './permissions';

export interface IssuedPartnerCredentials {
  /** The user's public key: what is stored, and what a revocation names. */
  publicKey: string;
  /** The `.creds` text (user JWT + seed), handed to the organization once and never stored. */
  creds: string;
  /** The JWT's own issue time (whole seconds): a revocation at or after it refuses the JWT. */
  issuedAt: Date;
}

/** Signs partner organizations' NATS users with the network account's key (`partner-issuer.json`). */
export class PartnerIssuer {
  private readonly account: KeyPair;
  private readonly operatorSigning: KeyPair;

  constructor(readonly material: PartnerIssuerMaterial) {
    this.account = fromSeed(new TextEncoder().encode(material.accountSeed));
    this.operatorSigning = fromSeed(new TextEncoder().encode(material.operatorSigningSeed));
    if (this.account.getPublicKey() !== material.account) throw new Error('partner issuer: the account seed does not match the account');
  }

  static fromFile(path: string): PartnerIssuer {
    return new PartnerIssuer(JSON.parse(readFileSync(path, 'utf8')) as PartnerIssuerMaterial);
  }

  /** A new user (new keys) for one organization, limited to its own feed for the network's prefix. */
  async issue(organizationId: string, prefix: string): Promise<IssuedPartnerCredentials> {
    const user = createUser();
    const jwt = await encodeUser(`partner.${organizationId}`, user, this.account, partnerPermissions(organizationId, prefix) as never);
    const { iat } = decode(jwt);
    return { publicKey: user.getPublicKey(), creds: new TextDecoder().decode(fmtCreds(jwt, user)), issuedAt: new Date(iat * 1000) };
  }

  /**
   * Makes the running server refuse these users (public key → the latest issue time refused, in
   * seconds): reads the network account's JWT from the server, adds what it lacks to its
   * revocations, re-signs it and pushes it. The server then closes those users' connections and
   * refuses their new ones. Merging with what the server holds keeps every other claim (limits,
   * the services' own revocations); repeating it is harmless. Returns how many were added.
   *
   * `claims` is a connection with the claims updater's credentials (a system account user).
   */
  async revoke(claims: NatsConnection, revoked: Record<string, number>, timeoutMs = 5000): Promise<number> {
    const lookup = await claims.request(CLAIMS_LOOKUP(this.material.account), undefined, { timeout: timeoutMs });
    const current = decode<{ revocations?: Record<string, number> }>(new TextDecoder().decode(lookup.data));
    const revocations = { ...(current.nats.revocations ?? {}) };
    let added = 0;
    for (const [publicKey, at] of Object.entries(revoked)) {
      if ((revocations[publicKey] ?? -1) >= at) continue;
      revocations[publicKey] = at;
      added++;
    }
    if (!added) return 0;
    const { type: _type, version: _version, ...claimsData } = current.nats as Record<string, unknown>;
    const jwt = await encodeAccount(current.name, this.material.account, { ...claimsData, revocations } as never, { signer: this.operatorSigning });
    const reply = await claims.request(CLAIMS_UPDATE, new TextEncoder().encode(jwt), { timeout: timeoutMs });
    const answer = JSON.parse(new TextDecoder().decode(reply.data)) as { data?: { code?: number }; error?: { description?: string } };
    if (answer.data?.code !== 200) throw new Error(`NATS refused the account update: ${answer.error?.description ?? JSON.stringify(answer)}`);
    return added;
  }
}
