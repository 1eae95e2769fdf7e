import { WebhookSender } from '../src/webhooks/webhook-sender';
import { WebhookTargetGuard } from '../src/webhooks/webhook-target.guard';
import { WebhookReceiver } from './webhook-receiver';

/** The sender against real local servers: where it connects, and what it does with a redirect. */
describe('WebhookSender', () => {
  const receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    for (const r of receivers) await r.stop();
  });
  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };

  it('connects to the address it checked, keeping the name for Host', async () => {
    const local = await receiver();
    let lookups = 0;
    const guard = new WebhookTargetGuard({ allowPrivate: true }, async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    });
    const sender = new WebhookSender(guard, 5000);
    try {
      const result = await sender.send(`http://partner.invalid:${local.port}/hooks`, { 'webhook-id': 'msg_1' }, '{"type":"t","data":{"eventId":"e","referralId":"r"}}');
      expect(result).toMatchObject({ statusCode: 204 });
      expect(lookups).toBe(1);
      expect(local.received[0]!.headers.host).toBe(`partner.invalid:${local.port}`);
    } finally {
      sender.close();
    }
  });

  it('refuses before connecting when the name now resolves to a refused address', async () => {
    const local = await receiver();
    const guard = new WebhookTargetGuard({ allowPrivate: false }, async () => [{ address: '127.0.0.1', family: 4 }]);
    const sender = new WebhookSender(guard, 5000);
    try {
      const result = await sender.send(`https://partner.invalid:${local.port}/hooks`, {}, '{}');
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toContain('refused: url host partner.invalid resolves to 127.0.0.1, a loopback address');
      expect(local.connections).toBe(0);
    } finally {
      sender.close();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.answer = { status: 307, headers: { location: target.url } };
    const sender = new WebhookSender(new WebhookTargetGuard({ allowPrivate: true }), 5000);
    try {
      expect(await sender.send(redirecting.url, {}, '{}')).toMatchObject({ statusCode: 307, error: 'redirect not followed' });
      expect(target.connections).toBe(0);
    } finally {
      sender.close();
    }
  });
});
