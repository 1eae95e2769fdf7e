import { Injectable } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import { BaseConfig } from '@nwd/config';

/** Finds the public key (PEM) that verifies a token signed with key id `kid`. */
export abstract class SigningKeyResolver {
  abstract publicKey(kid: string | undefined): Promise<string>;
}

/** Every service but the directory: keys from the directory's JWKS, cached, refetched (rate-limited) for an unknown kid. */
@Injectable()
export class JwksKeyResolver extends SigningKeyResolver {
  private readonly client: JwksClient;

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

  async publicKey(kid: string | undefined): Promise<string> {
    const key = await this.client.getSigningKey(kid);
    return key.getPublicKey();
  }
}
