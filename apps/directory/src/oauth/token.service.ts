import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { v4 as uuidv4 } from 'uuid';
import { DomainError } from '@nwd/errors';
import { ApiClient } from '../clients/api-client.entity';
import { hashClientSecret, verifyClientSecret } from '../clients/client-secret';
import { NetworkOrganization } from '../organizations/network-organization.entity';
import { DirectoryConfig } from '../directory.config';
import { SigningKeys, TOKEN_ALGORITHM } from './signing-keys';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** RFC 6749 §5.2 errors, as problem documents that also carry `error` and `error_description`. */
export function oauthError(error: string, description: string, kind: 'invalid' | 'unauthenticated' = 'invalid'): DomainError {
  return new DomainError(`oauth.${error.replace(/_/g, '-')}`, kind, description, { error, error_description: description });
}

@Injectable()
export class TokenService {
  /** Compared against when the client id is unknown, so response time does not reveal which ids exist. */
  private readonly decoyHash = hashClientSecret('decoy');

  constructor(
    private readonly config: DirectoryConfig,
    private readonly dataSource: DataSource,
    private readonly keys: SigningKeys,
  ) {}

  async issue(clientId: string, clientSecret: string): Promise<TokenResponse> {
    const client = await this.dataSource
      .getRepository(ApiClient)
      .createQueryBuilder('c')
      .addSelect('c.secretHash')
      .where('c.id = :clientId', { clientId })
      .getOne();
    const secretMatches = await verifyClientSecret(clientSecret, client?.secretHash ?? (await this.decoyHash));
    if (!client || !secretMatches || client.status !== 'active') {
      throw oauthError('invalid_client', 'Unknown client, wrong secret or revoked client', 'unauthenticated');
    }
    const organization = await this.dataSource.getRepository(NetworkOrganization).findOneByOrFail({ id: client.organizationId });
    if (organization.status !== 'active') {
      throw oauthError('invalid_client', 'The client’s organization is suspended', 'unauthenticated');
    }
    const key = await this.keys.current();
    const ttl = this.config.NWD_TOKEN_TTL_SECONDS;
    const accessToken = await new SignJWT({ org: client.organizationId, roles: client.roles })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setSubject(client.id)
      .setIssuer(this.config.NWD_JWT_ISSUER)
      .setAudience(this.config.NWD_JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(uuidv4())
      .sign(key.privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl };
  }
}
