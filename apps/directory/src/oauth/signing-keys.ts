import { createPublicKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importJWK, importPKCS8, JWK, KeyLike } from 'jose';
import { DataSource } from 'typeorm';
import { SigningKeyResolver } from '@nwd/auth';
import { DomainError } from '@nwd/errors';

export const TOKEN_ALGORITHM = 'RS256';

interface LoadedKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
  publicKey: KeyObject;
}

/**
 * The keys that sign access tokens. They live in the directory's database so that every directory
 * instance signs with the same key and the JWKS is the same whichever instance answers; the first
 * instance to boot creates one.
 */
@Injectable()
export class SigningKeys extends SigningKeyResolver {
  private loaded?: Promise<LoadedKey[]>;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** The newest key signs. */
  async current(): Promise<LoadedKey> {
    const [key] = await this.keys();
    return key!;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.keys()).map((k) => k.publicJwk) };
  }

  /** The directory verifies its own tokens without calling itself over HTTP. */
  async publicKey(kid: string | undefined): Promise<KeyObject> {
    const key = (await this.keys()).find((k) => k.kid === kid);
    if (!key) throw DomainError.unauthenticated('auth.unknown-signing-key', 'The access token was not signed by this network');
    return key.publicKey;
  }

  private keys(): Promise<LoadedKey[]> {
    this.loaded ??= this.loadOrCreate().catch((error) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async loadOrCreate(): Promise<LoadedKey[]> {
    let rows = await this.read();
    if (!rows.length) {
      const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { modulusLength: 2048, extractable: true });
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      const publicJwk = { ...jwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' };
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('nwd:signing-key'))`);
        const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM signing_key`);
        if (n === 0) {
          await manager.query(`INSERT INTO signing_key (kid, private_pem, public_jwk) VALUES ($1, $2, $3)`, [
            kid,
            await exportPKCS8(privateKey),
            publicJwk,
          ]);
        }
      });
      rows = await this.read();
    }
    return Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        privateKey: await importPKCS8(row.private_pem, TOKEN_ALGORITHM),
        publicJwk: row.public_jwk,
        publicKey: createPublicKey(await exportSPKI((await importJWK(row.public_jwk, TOKEN_ALGORITHM)) as KeyLike)),
      })),
    );
  }

  private read(): Promise<{ kid: string; private_pem: string; public_jwk: JWK }[]> {
    return this.dataSource.query(`SELECT kid, private_pem, public_jwk FROM signing_key ORDER BY created_at DESC, kid`);
  }
}
