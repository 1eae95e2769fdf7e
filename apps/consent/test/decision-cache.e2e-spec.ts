import { BaseConfig } from '@nwd/config';
import { ConsentDecisionCache } from '@nwd/consent-client';
import { DecideRequest } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';
import { natsUrl, pollUntil, TestOrganization } from '@nwd/testing';
import { ConsentExpirySweep } from '../src/consents/consent-expiry.sweep';
import { ConsentKit } from './consent-kit';

/**
 * Another service's decision cache (libs/consent-client) on real NATS, against the consent
 * service: its entries go within a second of a revocation, an expiry or a new consent.
 */
describe('ConsentDecisionCache', () => {
  const kit = ConsentKit.forSuite();
  let nats: NatsClient;
  let messaging: MessagingClient;
  let cache: ConsentDecisionCache;
  let referrer: TestOrganization;
  let receiver: TestOrganization;

  beforeAll(async () => {
    // Connected as the referral service would be: its own connection, the network's namespace.
    const config = { NATS_URL: natsUrl(), serviceName: 'referral', NWD_NATS_PREFIX: kit.network.natsPrefix, NWD_NATS_CREDS_FILE: '', NWD_NATS_CA_FILE: '' };
    nats = await NatsClient.connect(config as unknown as BaseConfig);
    messaging = new MessagingClient(nats);
    cache = new ConsentDecisionCache(messaging, nats);
    cache.listen();
    referrer = await kit.network.organization({ kind: 'health-system' });
    receiver = await kit.network.organization({ kind: 'cbo' });
  });
  afterAll(async () => {
    await cache?.onApplicationShutdown();
    await nats?.connection.close();
  });

  const question = (clientId: string): DecideRequest => ({
    clientId,
    recipientOrganizationId: receiver.id,
    purpose: 'referral',
    categories: ['contact'],
    sourceOrganizationIds: [referrer.id],
  });

  async function consent(clientId: string, period?: { start: string; end: string }, { settle = true } = {}) {
    const res = await kit.post(referrer, '/v1/consents', { clientId, recipients: [{ organizationId: receiver.id }], purposes: ['referral'], categories: ['contact'], method: 'written', period });
    if (res.status !== 201) throw new Error(`consent: ${res.status} ${JSON.stringify(res.body)}`);
    // Its `granted` event would otherwise arrive while a test's first question is in flight, and rightly keep the answer out.
    if (settle) await kit.events(res.body.id, 1);
    return res.body.id as string;
  }

  /** Milliseconds from now until the cache no longer holds the question. */
  async function dropped(ask: DecideRequest): Promise<number> {
    const started = Date.now();
    await pollUntil(() => cache.holds(ask), (held) => !held, { timeoutMs: 1000, intervalMs: 10, what: 'the cache entry to go' });
    return Date.now() - started;
  }

  it('answers again from memory, and drops the answer within 1 s of a revocation', async () => {
    const clientId = await kit.registerClient(referrer, receiver);
    const consentId = await consent(clientId);
    const ask = jest.spyOn(messaging, 'request');
    expect((await cache.decide(question(clientId))).permitted).toBe(true);
    expect((await cache.decide(question(clientId))).permitted).toBe(true);
    expect(ask).toHaveBeenCalledTimes(1);
    ask.mockRestore();

    expect((await kit.post(referrer, `/v1/consents/${consentId}/revoke`, {})).status).toBe(200);
    expect(await dropped(question(clientId))).toBeLessThan(1000);
    expect(await cache.decide(question(clientId))).toMatchObject({ permitted: false, withheld: [{ category: 'contact', reason: 'consent-revoked' }] });
  });

  it('drops the answer within 1 s of the consent’s expiry being announced', async () => {
    const clientId = await kit.registerClient(referrer, receiver);
    const end = new Date(Date.now() + 60_000);
    await consent(clientId, { start: new Date().toISOString(), end: end.toISOString() });
    expect((await cache.decide(question(clientId))).permitted).toBe(true);
    expect(cache.holds(question(clientId))).toBe(true);
    await kit.network.service('consent').app.get(ConsentExpirySweep).run(new Date(end.getTime() + 1));
    expect(await dropped(question(clientId))).toBeLessThan(1000);
  });

  it('drops a refusal within 1 s of a new consent, which then permits', async () => {
    const clientId = await kit.registerClient(referrer, receiver);
    expect((await cache.decide(question(clientId))).permitted).toBe(false);
    expect(cache.holds(question(clientId))).toBe(true);
    await consent(clientId, undefined, { settle: false });
    expect(await dropped(question(clientId))).toBeLessThan(1000);
    expect((await cache.decide(question(clientId))).permitted).toBe(true);
  });

  it('keeps other clients’ answers when one client’s consent changes', async () => {
    const [one, other] = [await kit.registerClient(referrer, receiver), await kit.registerClient(referrer, receiver)];
    await cache.decide(question(one));
    await cache.decide(question(other));
    expect(cache.holds(question(one)) && cache.holds(question(other))).toBe(true);
    await consent(one);
    await dropped(question(one));
    expect(cache.holds(question(other))).toBe(true);
  });
});
