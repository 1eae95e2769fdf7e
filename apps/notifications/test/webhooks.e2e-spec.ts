import { Client as PgClient } from 'pg';
import request from 'supertest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { PARTNER_EVENT_TYPES } from '@nwd/contracts';
import { bootService, pollUntil, ServiceUnderTest, TestOrganization } from '@nwd/testing';
import { BaseConfig } from '@nwd/config';
import { ReferralKit } from '../../referral/test/referral-test-kit';
import { NotificationsAppModule } from '../src/notifications-app.module';
import { NotificationsConfig } from '../src/notifications.config';
import { WebhookSecretCipher } from '../src/webhooks/webhook-secret.cipher';
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

  it('retries with backoff on a controlled clock, then disables the endpoint and alerts its admins', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    hooks.answer = { status: 500 };
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url, ['referral.v1.requested', 'referral.v1.accepted']);
    const referral = await kit.create(sender, receiverOrg);
    const clock = notifications().clock;
    try {
      // Counts tries as logged (a try is counted when claimed, logged once answered: move time only between them).
      let attempts = 0;
      for (let hour = 0; hour < 30; hour++) {
        const [item] = await pollUntil(() => deliveries(token, endpoint.id), (items) => items[0]?.log.length > attempts || items[0]?.status === 'failed', {
          timeoutMs: 30_000,
          what: `another try after ${hour} h`,
        });
        attempts = item.log.length;
        if (item.status === 'failed') break;
        clock.advance(3_600_000);
      }
      const [failed] = await deliveries(token, endpoint.id);
      expect(failed).toMatchObject({ status: 'failed', referralId: referral.id, lastStatusCode: 500 });
      expect(failed.log.length).toBe(failed.attempts);
      expect(failed.log.length).toBeGreaterThan(20);
      expect(failed.log.every((a: any) => a.statusCode === 500)).toBe(true);
      const times = failed.log.map((a: any) => Date.parse(a.attemptedAt));
      expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(24 * 3_600_000);

      const read = await api().get(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' });
      expect(read.body).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('24 h') });
      const alerts = await sql(`SELECT organization_id, kind, reason FROM webhook_alert WHERE endpoint_id = $1`, [endpoint.id]);
      expect(alerts).toEqual([{ organization_id: receiverOrg.id, kind: 'endpoint-disabled', reason: expect.stringContaining('answered 500') }]);
      // …and the organization's admins find it in their inbox.
      const inbox = await api().get('/v1/notifications').auth(token, { type: 'bearer' }).expect(200);
      expect(inbox.body.data.filter((n: any) => n.kind === 'platform-alert')).toEqual([expect.objectContaining({ kind: 'platform-alert', alert: 'webhook-endpoint-disabled', subjectId: endpoint.id })]);

      // Disabled: later events are not queued for it.
      await kit.drive(sender, receiverOrg, referral.id, ['accepted']);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await deliveries(token, endpoint.id)).toHaveLength(1);
    } finally {
      clock.reset();
    }
  });

  it('signs with the old and the new secret during a rotation, then with the new alone', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url, ['referral.v1.requested']);
    const rotated = await api().post(`/v1/webhooks/${endpoint.id}/rotate-secret`).auth(token, { type: 'bearer' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previousSecretExpiresAt).toEqual(expect.any(String));
    expect((await api().get(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' })).body.secret).toBeUndefined();

    const during = await kit.create(sender, receiverOrg);
    const [d1] = await pollUntil(() => hooks.about([during.id]), (d) => d.length === 1, { timeoutMs: 30_000, what: 'a delivery during the overlap' });
    expect(d1!.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(d1!.body, d1!.headers)).toBeTruthy();
    expect(new Webhook(rotated.body.secret).verify(d1!.body, d1!.headers)).toBeTruthy();

    // Past the overlap (60 s here; the timestamp stays within the verifier's 5 minutes).
    const clock = notifications().clock;
    clock.advance(61_000);
    try {
      const after = await kit.create(sender, receiverOrg);
      const [d2] = await pollUntil(() => hooks.about([after.id]), (d) => d.length === 1, { timeoutMs: 30_000, what: 'a delivery after the overlap' });
      expect(d2!.headers['webhook-signature'].split(' ')).toHaveLength(1);
      expect(new Webhook(rotated.body.secret).verify(d2!.body, d2!.headers)).toBeTruthy();
      expect(() => new Webhook(endpoint.secret).verify(d2!.body, d2!.headers)).toThrow(WebhookVerificationError);
    } finally {
      clock.reset();
    }
  });

  it('redelivers one delivery, and replays a time range in order', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url);
    const since = new Date(Date.now() - 1000).toISOString();
    const referral = await kit.create(sender, receiverOrg);
    await kit.drive(sender, receiverOrg, referral.id, ['accepted', 'in-progress']);
    await pollUntil(() => hooks.about([referral.id]), (d) => d.length === 3, { timeoutMs: 30_000, what: 'three deliveries' });
    const until = new Date(Date.now() + 1000).toISOString();
    const log = await pollUntil(() => deliveries(token, endpoint.id), (items) => items.length === 3 && items.every((d) => d.status === 'delivered'), { what: 'logged' });

    const accepted = log.find((d) => d.eventType === 'referral.v1.accepted')!;
    const redeliver = await api().post(`/v1/webhooks/${endpoint.id}/deliveries/${accepted.id}/redeliver`).auth(token, { type: 'bearer' });
    expect(redeliver.status).toBe(202);
    expect(redeliver.body).toMatchObject({ id: accepted.id, eventType: 'referral.v1.accepted', status: expect.stringMatching(/^(pending|delivered)$/) });
    await pollUntil(() => hooks.about([referral.id]), (d) => d.length === 4, { timeoutMs: 30_000, what: 'the redelivery' });
    expect(hooks.about([referral.id])[3]!.headers['webhook-id']).toBe(accepted.id);
    const missing = await api().post(`/v1/webhooks/${endpoint.id}/deliveries/${referral.id}/redeliver`).auth(token, { type: 'bearer' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('notifications.webhook-delivery-not-found');

    await pollUntil(() => deliveries(token, endpoint.id), (items) => items.every((d) => d.status === 'delivered'), { what: 'redelivered' });
    const replay = await api().post(`/v1/webhooks/${endpoint.id}/replay`).auth(token, { type: 'bearer' }).send({ since, until });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ queued: 3 });
    await pollUntil(() => hooks.about([referral.id]), (d) => d.length === 7, { timeoutMs: 30_000, what: 'the replay' });
    expect(hooks.about([referral.id]).slice(4).map((d) => d.json.type)).toEqual(['referral.v1.requested', 'referral.v1.accepted', 'referral.v1.in-progress']);

    const backwards = await api().post(`/v1/webhooks/${endpoint.id}/replay`).auth(token, { type: 'bearer' }).send({ since: until, until: since });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: 'until', messages: ['until must be after since'] }]);
  });

  it('does not follow a 302, even to another local receiver', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.answer = { status: 302, headers: { location: target.url } };
    const token = await admin(receiverOrg);
    const endpoint = await register(token, redirecting.url, ['referral.v1.requested']);
    await kit.create(sender, receiverOrg);
    const [item] = await pollUntil(() => deliveries(token, endpoint.id), (items) => items[0]?.attempts >= 1 && items[0]?.log.length >= 1, { timeoutMs: 30_000, what: 'a try' });
    expect(item.log[0]).toMatchObject({ statusCode: 302, error: 'redirect not followed' });
    expect(item.status).toBe('pending');
    expect(target.connections).toBe(0);
  });

  it('answers bad input with 400 naming the field, and manages endpoints (update, list, delete)', async () => {
    const [, org] = await kit.pair();
    const token = await admin(org);
    const post = (body: object) => api().post('/v1/webhooks').auth(token, { type: 'bearer' }).send(body);
    const fields = (res: request.Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

    let res = await post({ url: 'https://hooks.example.org/x', events: ['referral.v1.nonsense'] });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['events']);
    res = await post({ url: 'https://hooks.example.org/x', events: [] });
    expect(fields(res)).toEqual(['events']);
    res = await post({ events: ['referral.v1.requested'] });
    expect(fields(res)).toEqual(['url']);
    res = await post({ url: 'not a url', events: ['referral.v1.requested'] });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['url']);
    res = await post({ url: 'https://hooks.example.org/x', events: ['referral.v1.requested'], secret: 'mine' });
    expect(fields(res)).toEqual(['secret']);

    const hooks = await receiver();
    const endpoint = await register(token, hooks.url, ['referral.v1.requested']);
    const patched = await api().patch(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' }).send({ events: ['referral.v1.accepted'], status: 'disabled' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['referral.v1.accepted'], status: 'disabled' });
    expect(fields(await api().patch(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' }).send({ status: 'paused' }))).toEqual(['status']);
    expect((await api().get('/v1/webhooks').auth(token, { type: 'bearer' })).body.items.map((e: any) => e.id)).toEqual([endpoint.id]);
    expect((await api().delete(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' })).status).toBe(204);
    expect((await api().delete(`/v1/webhooks/${endpoint.id}`).auth(token, { type: 'bearer' })).status).toBe(404);
  });

  it('with private targets refused (as in production) refuses http, loopback, private and metadata targets at registration, and at delivery', async () => {
    // Its own database, but the network's NATS namespace: it shares the durable consumer, so it must not outlive the test.
    const strict = await kit.network.startService('notifications', { NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS: false, NWD_WEBHOOK_POLL_MS: 100 });
    try {
      await refusesTargets(strict);
    } finally {
      await strict.close();
    }
  });

  async function refusesTargets(strict: ServiceUnderTest<BaseConfig>): Promise<void> {
    const [, org] = await kit.pair();
    const token = await admin(org);
    const refused = async (url: string) => {
      const res = await api(strict.server).post('/v1/webhooks').auth(token, { type: 'bearer' }).send({ url, events: ['referral.v1.requested'] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(['url']);
      return res.body.errors[0].messages[0] as string;
    };
    expect(await refused('http://hooks.example.org/x')).toBe('url must use https');
    expect(await refused('https://localhost/x')).toContain('loopback');
    expect(await refused('https://127.0.0.1:8443/x')).toContain('loopback');
    expect(await refused('https://10.0.0.8/x')).toContain('private');
    expect(await refused('https://192.168.1.20/x')).toContain('private');
    expect(await refused('https://169.254.169.254/latest/meta-data')).toContain('metadata');
    expect(await refused('https://[::1]/x')).toContain('loopback');
    expect(await refused('https://[::ffff:127.0.0.1]/x')).toContain('loopback');
    expect(await refused('https://[fd00:ec2::254]/x')).toContain('metadata');

    // A name that resolved publicly when registered and resolves to loopback now (DNS rebinding):
    // the endpoint is written as registration would have, and the delivery is refused before connecting.
    const local = await receiver();
    const endpointId = '01900000-0000-7000-8000-00000000beef';
    const url = `https://localhost:${local.port}/hooks`;
    await sql(
      `INSERT INTO webhook_endpoint (id, organization_id, url, events, status, secret_sealed, created_at, updated_at)
       VALUES ($1, $2, $3, '{referral.v1.requested}', 'active', $4, now(), now())`,
      [endpointId, org.id, url, (strict.app.get(WebhookSecretCipher) as WebhookSecretCipher).encrypt('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')],
      strict.database.url,
    );
    await sql(
      `INSERT INTO webhook_delivery (id, endpoint_id, organization_id, event_id, event_type, referral_id, occurred_at, body, status, next_attempt_at, window_started_at, created_at)
       VALUES (gen_random_uuid(), $1, $2, gen_random_uuid(), 'referral.v1.requested', gen_random_uuid(), now(), '{}', 'pending', now(), now(), now())`,
      [endpointId, org.id],
      strict.database.url,
    );
    const [item] = await pollUntil(() => deliveries(token, endpointId, strict.server), (items) => items[0]?.log.length >= 1, { timeoutMs: 30_000, what: 'a refused try' });
    expect(item.log[0]).toMatchObject({ statusCode: null, error: expect.stringContaining('resolves to 127.0.0.1, a loopback address') });
    expect(local.connections).toBe(0);
  }

  it('keeps every delivery while the receiver is down, across a restart and two replicas: all arrive after, in order per referral, once each', async () => {
    const [sender, receiverOrg] = await kit.pair();
    const hooks = await receiver();
    const token = await admin(receiverOrg);
    const endpoint = await register(token, hooks.url);
    await hooks.stop();

    const referrals: string[] = [];
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
