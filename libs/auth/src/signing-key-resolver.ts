import { createPublicKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import { BaseConfig } from '@nwd/config';

/**
 * Finds the public key that verifies a token signed with key id `kid`. A parsed KeyObject, not a
 * PEM string: parsing the key again for every request cost more than verifying the signature.
 */
export abstract class SigningKeyResolver {
  abstract publicKey(kid: string | undefined): Promise<KeyObject>;
}

/** Every service but the directory: keys from the directory's JWKS, cached, refetched (rate-limited) for an unknown kid. */
@Injectable()
export class JwksKeyResolver extends SigningKeyResolver {
  private readonly client: JwksClient;
  private readonly parsed = new Map<string, KeyObject>();

  constructor(config: BaseConfig) {
    super();
    this.client = new JwksClient({
      jwksUri: config.NWD_JWKS_URL,
      cache: true,
      cacheMaxAge: 10 * 60 * 1000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5_000,
    });
  }

  async publicKey(kid: string | undefined): Promise<KeyObject> {
    const cached = kid ? this.parsed.get(kid) : undefined;
    if (cached) return cached;
    const key = createPublicKey((await this.client.getSigningKey(kid)).getPublicKey());
    // Only keys the JWKS actually served are kept, so unknown kids cannot grow the map.
    if (kid) this.parsed.set(kid, key);
    return key;
  }
}
