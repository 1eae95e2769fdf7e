import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret';

describe('client secrets', () => {
  it('are long random strings, different every time', () => {
    const a = generateClientSecret();
    expect(a).toMatch(/^nwd_[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(a);
  });

  it('are stored as salted scrypt hashes that verify only the original secret', async () => {
    const secret = generateClientSecret();
    const stored = await hashClientSecret(secret);
    expect(stored).not.toContain(secret);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await hashClientSecret(secret)).not.toBe(stored);
    expect(await verifyClientSecret(secret, stored)).toBe(true);
    expect(await verifyClientSecret(secret + 'x', stored)).toBe(false);
    expect(await verifyClientSecret(secret, 'plain-text')).toBe(false);
  });
});
