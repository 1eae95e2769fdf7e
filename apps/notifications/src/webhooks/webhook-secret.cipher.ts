import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Used where no key is configured (development and tests only: production config requires one). */
const DEVELOPMENT_KEY = createHash('sha256').update('no-wrong-door development webhook secret key').digest();

/**
 * Encrypts signing secrets at rest with AES-256-GCM. They cannot be hashed like API client
 * secrets: the service needs the secret itself to sign each delivery.
 */
export class WebhookSecretCipher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = base64Key ? Buffer.from(base64Key, 'base64') : DEVELOPMENT_KEY;
    if (this.key.length !== 32) throw new Error('The webhook secret key must be 32 bytes');
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, sealed] = stored.split(':');
    if (version !== 'v1' || !iv || !tag || !sealed) throw new Error('Not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  }
}
