import { connect } from 'nats';
import { Client as PgClient } from 'pg';
import request from 'supertest';
import { EventEnvelope, ReferralEventPayload, ReferralStatus } from '@nwd/contracts';
import { NatsClient } from '@nwd/messaging';
import { natsUrl, pollUntil, ServiceName, TestNetwork, TestNetworkOptions, TestOrganization } from '@nwd/testing';

/** Thin helpers over the referral API, so each test reads as the loop it exercises. */
export class ReferralKit {
  constructor(private started?: TestNetwork) {}

  /**
   * The set-up every referral spec shares: a network with the referral service and the consent
   * service (which holds the clients and decides what receivers see), started before the suite's
   * tests (and its other `beforeAll`s) and closed after them.
   */
  static forSuite(options?: TestNetworkOptions, services: ServiceName[] = ['consent', 'referral']): ReferralKit {
    const kit = new ReferralKit();
    // Suites move the clock to dates long past: a reminder sweep on a timer would fire their deadlines mid-test.
    const env = { ...options?.env, referral: { NWD_REMINDER_SWEEP_INTERVAL_SECONDS: 0, ...options?.env?.referral } };
    beforeAll(async () => {
      kit.started = await TestNetwork.start(services, { ...options, env });
    });
    afterAll(() => kit.started?.close());
    return kit;
  }

  get network(): TestNetwork {
    if (!this.started) throw new Error('ReferralKit.network before the suite started it');
    return this.started;
  }

  /** A sending health system and a receiving CBO, fresh for each test. */
  async pair(): Promise<[TestOrganization, TestOrganization]> {
    return [await this.network.organization({ kind: 'health-system' }), await this.network.organization({ kind: 'cbo' })];
  }

  get http() {
    return request(this.network.server('referral'));
  }

  post(org: TestOrganization | string, path: string, body: object, idempotencyKey?: string) {
    const req = this.http.post(path).auth(typeof org === 'string' ? org : org.token, { type: 'bearer' });
    return (idempotencyKey ? req.set('Idempotency-Key', idempotencyKey) : req).send(body);
  }

  get(org: TestOrganization | string, path: string) {
    return this.http.get(path).auth(typeof org === 'string' ? org : org.token, { type: 'bearer' });
  }

  /** A referral of a new client, with the client's verbal consent for the receiver to see what it carries. */
  referralBody(to: TestOrganization, overrides: Record<string, unknown> = {}) {
    return {
      receivingOrganizationId: to.id,
      client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', phone: '+1 555 010 2000', preferredLanguage: 'es', interpreterNeeded: true },
      consent: VERBAL_CONSENT,
      needs: ['food-insecurity', 'housing-instability'],
      description: 'Needs groceries this week',
      urgency: 'routine',
      ...overrides,
    };
  }

  async create(from: TestOrganization, to: TestOrganization, overrides: Record<string, unknown> = {}) {
    const res = await this.post(from, '/v1/referrals', this.referralBody(to, overrides));
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; status: ReferralStatus; [k: string]: any };
  }

  async read(org: TestOrganization, id: string) {
    const res = await this.get(org, `/v1/referrals/${id}`);
    if (res.status !== 200) throw new Error(`read: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  status(org: TestOrganization | string, id: string, body: Record<string, unknown>, idempotencyKey?: string) {
    return this.post(org, `/v1/referrals/${id}/status`, body, idempotencyKey);
  }

  /** Moves a referral along legal steps, each by the party allowed to take it; returns the last body. */
  async drive(sender: TestOrganization, receiver: TestOrganization, id: string, steps: ReferralStatus[]) {
    let { version } = await this.read(sender, id);
    let body: any;
    for (const to of steps) {
      const res = await this.status(to === 'cancelled' ? sender : receiver, id, { status: to, version, ...needs(to) });
      if (res.status !== 200) throw new Error(`→ ${to}: ${res.status} ${JSON.stringify(res.body)}`);
      body = res.body;
      version = body.version;
    }
    return body;
  }

  /** The consent service's API, where clients' consents are recorded and revoked. */
  consentApi(org: TestOrganization, method: 'get' | 'post', path: string, body?: object) {
    const req = request(this.network.server('consent'))[method](path).auth(org.token, { type: 'bearer' });
    return body ? req.send(body) : req;
  }

  /** A written consent of the client, recorded by `org` (its register), letting each recipient see `categories` for referrals. */
  async grant(org: TestOrganization, clientId: string, recipients: TestOrganization[], categories: string[] = ['contact', 'demographics', 'notes']) {
    const res = await this.consentApi(org, 'post', '/v1/consents', {
      clientId,
      recipients: recipients.map((r) => ({ organizationId: r.id })),
      purposes: ['referral'],
      categories,
      method: 'written',
      evidence: 'scan://consent-form-1',
      period: { start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + 365 * 86_400_000).toISOString() },
    });
    if (res.status !== 201) throw new Error(`grant: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; [k: string]: any };
  }

  /** Runs `work` with the referral service's clock stopped at `at`. */
  async at<T>(at: string | Date, work: () => Promise<T>): Promise<T> {
    const clock = this.network.service('referral').clock.set(at);
    try {
      return await work();
    } finally {
      clock.reset();
    }
  }

  /** A service's own database (the referral service's unless named), to prove what was (not) written. */
  async sql<T = any>(text: string, values: unknown[] = [], service: ServiceName = 'referral'): Promise<T[]> {
    const client = new PgClient({ connectionString: this.network.service(service).database.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /**
   * Events on the REFERRAL stream as a partner system reads them: a plain JetStream ordered
   * consumer from the start of the stream, filtered here to the given referrals.
   */
  async events(referralIds: string[], expected: number): Promise<EventEnvelope<ReferralEventPayload>[]> {
    const nats = this.network.service('referral').app.get(NatsClient);
    const stream = nats.stream('REFERRAL');
    const nc = await connect({ servers: natsUrl().split(',') });
    try {
      const js = nc.jetstream();
      const jsm = await nc.jetstreamManager();
      return await pollUntil(
        async () => {
          const total = (await jsm.streams.info(stream)).state.messages;
          if (!total) return [];
          const consumer = await js.consumers.get(stream);
          const found: EventEnvelope<ReferralEventPayload>[] = [];
          const batch = await consumer.fetch({ max_messages: total, expires: 2000 });
          let seen = 0;
          for await (const message of batch) {
            const envelope = message.json<EventEnvelope<ReferralEventPayload>>();
            expect(message.subject).toBe(nats.subject(envelope.type));
            if (referralIds.includes(envelope.data.referralId)) found.push(envelope);
            if (++seen >= total) break;
          }
          await consumer.delete().catch(() => undefined);
          return found;
        },
        (found) => found.length >= expected,
        { timeoutMs: 15_000, intervalMs: 200, what: `${expected} events of ${referralIds.join(', ')}` },
      );
    } finally {
      await nc.close();
    }
  }
}

/** What the kit's referrals carry by default: a consent heard by a named navigator, for what a referral shows its receiver. */
export const VERBAL_CONSENT = { method: 'verbal-attested', categories: ['contact', 'demographics', 'notes'], attestedBy: 'Test Navigator' } as const;

/** What a transition must say: a reason where required, an outcome where the loop closes. */
export function needs(to: ReferralStatus): Record<string, string> {
  const body: Record<string, string> = {};
  if (['rejected', 'cancelled', 'on-hold', 'failed'].includes(to)) body.reason = `reason for ${to}`;
  if (to === 'completed') body.outcome = 'service-provided';
  if (to === 'failed') body.outcome = 'no-capacity';
  return body;
}

/** The legal path from a new referral to each status. */
export const PATH_TO: Record<ReferralStatus, ReferralStatus[]> = {
  requested: [],
  accepted: ['accepted'],
  rejected: ['rejected'],
  cancelled: ['cancelled'],
  'in-progress': ['accepted', 'in-progress'],
  'on-hold': ['accepted', 'on-hold'],
  completed: ['accepted', 'completed'],
  failed: ['accepted', 'failed'],
};

export function fields(body: { errors?: { field: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}
