import { Client as PgClient } from 'pg';
import request from 'supertest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { PARTNER_EVENT_TYPES } from '@nwd/contracts';
import { bootService, pollUntil, ServiceUnderTest, TestOrganization } from '@nwd/testing';
import { BaseConfig } from '@nwd/config';
import { ReferralKit } from '../../referral/test/referral-test-kit';
import { NotificationsAppModule } from '../src/notifications-app.module';
import { NotificationsConfig } from '../src/notifications.config';
import { WebhookReceiver } from './webhook-receiver';

jest.setTimeout(180_000);

/** Local receivers on loopback, retries quick, a short rotation overlap. */
const NOTIFICATIONS_ENV = {
  NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
  NWD_WEBHOOK_POLL_MS: 100,
  NWD_WEBHOOK_RETRY_BASE_SECONDS: 1,
  NWD_WEBHOOK_SECRET_OVERLAP_SECONDS: 60,
};

describe('Webhooks (notifications, real PostgreSQL + NATS, real HTTP receivers)', () => {
  const kit = ReferralKit.forSuite({ env: { notifications: NOTIFICATIONS_ENV } }, ['consent', 'referral', 'notifications']);
  const receivers: WebhookReceiver[] = [];
  const extraInstances: ServiceUnderTest<BaseConfig>[] = [];

  afterAll(async () => {
    for (const svc of extraInstances) await svc.app.close().catch(() => undefined);
    for (const receiver of receivers) await receiver.stop();
  });

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  /** The instance tests talk to: the network's, until the restart test replaces it. */
  let current: ServiceUnderTest<BaseConfig> | undefined;
  const notifications = () => current ?? kit.network.service('notifications');
  const api = (server = notifications().server) => request(server);
  const admin = async (org: TestOrganization) => (await kit.network.client(org.id, ['org-admin'])).token;

  async function register(token: string, url: string, events: readonly string[] = PARTNER_EVENT_TYPES, server = notifications().server) {
    const res = await api(server).post('/v1/webhooks').auth(token, { type: 'bearer' }).send({ url, events });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; secret: string; [k: string]: any };
  }

  async function deliveries(token: string, id: string, server = notifications().server) {
    const res = await api(server).get(`/v1/webhooks/${id}/deliveries?limit=200`).auth(token, { type: 'bearer' });
    expect(res.status).toBe(200);
    return res.body.items as any[];
  }

  const sql = async (text: string, values: unknown[] = [], url = notifications().database.url) => {
    const client = new PgClient({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  it('delivers a referral event the standardwebhooks package verifies, with ids and codes only', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url, ['referral.v1.requested']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: hooks.url, events: ['referral.v1.requested'], status: 'active' });

    const referral = await kit.create(sender, receiverOrg);
    const [delivery] = await pollUntil(() => hooks.about([referral.id]), (d) => d.length === 1, { timeoutMs: 30_000, what: 'the delivery' });
    const verified = new Webhook(endpoint.secret).verify(delivery!.body, delivery!.headers) as any;
    expect(verified).toMatchObject({
      type: 'referral.v1.requested',
      data: { referralId: referral.id, senderOrganizationId: sender.id, receivingOrganizationId: receiverOrg.id, status: 'requested' },
    });
    expect(delivery!.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const personal of ['Rosa', 'Delgado', '1979-05-14', '555', 'groceries']) expect(delivery!.body).not.toContain(personal);

    const log = await pollUntil(() => deliveries(token, endpoint.id), (items) => items[0]?.status === 'delivered', { what: 'the log' });
    expect(log[0]).toMatchObject({ id: delivery!.headers['webhook-id'], eventType: 'referral.v1.requested', referralId: referral.id, attempts: 1, lastStatusCode: 204 });
    expect(log[0].log).toEqual([expect.objectContaining({ statusCode: 204, durationMs: expect.any(Number), error: null })]);

    // Another organization neither sees the endpoint nor its log.
    const otherToken = await admin((await kit.pair())[1]);
    expect((await api().get(`/v1/webhooks/${endpoint.id}`).auth(otherToken, { type: 'bearer' })).status).toBe(404);
    expect((await api().get(`/v1/webhooks/${endpoint.id}/deliveries`).auth(otherToken, { type: 'bearer' })).status).toBe(404);
    expect((await api().get('/v1/webhooks').auth(otherToken, { type: 'bearer' })).body.items).toEqual([]);
    expect((await api().post('/v1/webhooks').auth(receiverOrg.token, { type: 'bearer' }).send({ url: hooks.url, events: ['referral.v1.requested'] })).status).toBe(403);
  });

  it('keeps every delivery while the receiver is down, across a restart and two replicas: all arrive after, in order per referral, once each', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url);
    await hooks.stop();

    const referrals = [];
    for (let i = 0; i < 3; i++) {
      const referral = await kit.create(sender, receiverOrg);
      await kit.drive(sender, receiverOrg, referral.id, ['accepted', 'in-progress']);
      referrals.push(referral.id);
    }
    // Queued (3 events each) and the first of each referral tried and refused; the later ones wait behind it.
    await pollUntil(
      () => deliveries(token, endpoint.id),
      (items) => items.length === 9 && items.filter((d) => d.attempts > 0).length === 3 && items.every((d) => d.status === 'pending'),
      { timeoutMs: 30_000, what: 'nine queued deliveries, the first per referral tried' },
    );
    expect((await deliveries(token, endpoint.id)).filter((d) => d.attempts > 0).map((d) => d.eventType)).toEqual(Array(3).fill('referral.v1.requested'));

    // The service restarts, now as two replicas on the same database and NATS namespace.
    const first = notifications();
    await first.app.close();
    const boot = () =>
      bootService({
        service: 'notifications',
        config: NotificationsConfig,
        module: (c) => NotificationsAppModule.forRoot(c),
        natsPrefix: kit.network.natsPrefix,
        database: first.database,
        env: { NWD_JWKS_URL: kit.network.jwksUrl, ...NOTIFICATIONS_ENV },
      });
    const replicas = [await boot(), await boot()];
    extraInstances.push(...replicas);

    await hooks.start();
    for (const replica of replicas) replica.clock.advance(3_600_000);
    const arrived = await pollUntil(() => hooks.about(referrals), (d) => d.length >= 9, { timeoutMs: 60_000, what: 'all nine deliveries' });
    // Give a duplicate every chance to show up before counting.
    await pollUntil(() => deliveries(token, endpoint.id, replicas[0]!.server), (items) => items.every((d) => d.status === 'delivered'), { what: 'all delivered' });
    expect(arrived).toHaveLength(9);
    expect(new Set(arrived.map((d) => d.headers['webhook-id'])).size).toBe(9);
    expect(new Set(arrived.map((d) => d.json.data.eventId)).size).toBe(9);
    for (const id of referrals) {
      expect(hooks.about([id]).map((d) => d.json.type)).toEqual(['referral.v1.requested', 'referral.v1.accepted', 'referral.v1.in-progress']);
      const versions = hooks.about([id]).map((d) => d.json.data.version as number);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    }
    for (const replica of replicas) replica.clock.reset();
    current = replicas[0];
  });
});
