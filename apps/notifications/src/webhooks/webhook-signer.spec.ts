import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newSigningSecret, signDelivery } from './webhook-signer';

describe('signDelivery', () => {
  const body = JSON.stringify({ type: 'referral.v1.accepted', data: { referralId: '0190c0de-0000-7000-8000-000000000001' } });

  it('produces headers the standardwebhooks package verifies', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const headers = signDelivery('msg_1', new Date(), body, [secret]);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const [next, previous] = [newSigningSecret(), newSigningSecret()];
    const headers = signDelivery('msg_2', new Date(), body, [next, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });

  it('fails verification with another secret, or a changed body', () => {
    const secret = newSigningSecret();
    const headers = signDelivery('msg_3', new Date(), body, [secret]);
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body.replace('accepted', 'rejected'), headers)).toThrow(WebhookVerificationError);
  });
});
