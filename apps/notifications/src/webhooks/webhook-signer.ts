import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret in the Standard Webhooks form: `whsec_` and base64 of 24 random bytes. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks headers for one delivery, signed with every secret given (the current one
 * first; during a rotation's overlap the previous one too, space-separated as the spec allows),
 * so a receiver still holding the old secret verifies, and so does one already on the new.
 */
export function signDelivery(messageId: string, timestamp: Date, body: string, secrets: readonly string[]): SignedHeaders {
  if (!secrets.length) throw new Error('signDelivery needs at least one secret');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
