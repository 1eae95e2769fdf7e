import { randomBytes } from 'node:crypto';
import { WebhookSecretCipher } from './webhook-secret.cipher';

describe('WebhookSecretCipher', () => {
  it('round-trips a secret without storing it in the clear', () => {
    const cipher = new WebhookSecretCipher(randomBytes(32).toString('base64'));
    const sealed = cipher.encrypt('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(cipher.decrypt(sealed)).toBe('whsec_abc');
    expect(cipher.encrypt('whsec_abc')).not.toBe(sealed);
  });

  it('refuses a secret sealed under another key or tampered with', () => {
    const sealed = new WebhookSecretCipher(randomBytes(32).toString('base64')).encrypt('whsec_abc');
    expect(() => new WebhookSecretCipher(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow();
    expect(() => new WebhookSecretCipher('').decrypt(sealed.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toThrow();
  });
});
