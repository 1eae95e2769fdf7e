import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so a reference read aloud over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short reference people can say and type: `R-7K3MQ-9QX2D` (50 random bits). */
export function newReferralReference(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
  return `R-${chars.slice(0, 5)}-${chars.slice(5)}`;
}
