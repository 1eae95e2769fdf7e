import { Client as PgClient } from 'pg';
import request from 'supertest';
import { BaseConfig } from '@nwd/config';
import { EventEnvelope, ReferralDeadlinePayload } from '@nwd/contracts';
import { NatsClient } from '@nwd/messaging';
import { bootService, createTestDatabase, pollUntil, ServiceUnderTest, streamEvents, TestDatabase, TestNetwork, TestOrganization } from '@nwd/testing';
import { ReferralAppModule } from '../src/referral-app.module';
import { ReferralConfig } from '../src/referral.config';
import { ReminderSweep, SweepResult } from '../src/reminders/reminder.sweep';
import { ReferralKit } from './referral-test-kit';

type Referral = ServiceUnderTest<BaseConfig>;

// Each test boots one or two instances of the service and waits on their timers: on a loaded 2-core machine that takes a while.
jest.setTimeout(180_000);

/**
 * Instances of the referral service on one database and the network's NATS, as replicas or as one
 * service restarted: every instance's clock is moved together, and instances can stop and start.
 */
class ReferralReplicas {
  private readonly live: Referral[] = [];
  private now = new Date();

  private constructor(
    private readonly network: TestNetwork,
    readonly database: TestDatabase,
  ) {}

  static async on(network: TestNetwork): Promise<ReferralReplicas> {
    return new ReferralReplicas(network, await createTestDatabase('referral'));
  }

  /** Sweeps run by hand unless `sweepEverySeconds` is given, so a test can say exactly what one sweep fired. */
  async start({ sweepEverySeconds = 0, batchSize = 200 } = {}): Promise<Referral> {
    const svc = await bootService({
      service: 'referral',
      config: ReferralConfig,
      module: (config) => ReferralAppModule.forRoot(config),
      natsPrefix: this.network.natsPrefix,
      database: this.database,
      env: { NWD_JWKS_URL: this.network.jwksUrl, NWD_REMINDER_SWEEP_INTERVAL_SECONDS: sweepEverySeconds, NWD_REMINDER_SWEEP_BATCH_SIZE: batchSize },
    });
    svc.clock.set(this.now);
    this.live.push(svc);
    return svc;
  }

  async stop(svc: Referral): Promise<void> {
    this.live.splice(this.live.indexOf(svc), 1);
    await svc.close();
  }

  at(time: string): this {
    this.now = new Date(time);
    for (const svc of this.live) svc.clock.set(this.now);
    return this;
  }

  sweep(svc: Referral): Promise<SweepResult> {
    return svc.app.get(ReminderSweep).run(svc.clock.now());
  }

  /** Moves every clock to `at`, then sweeps once on `svc`. */
  sweepAt(at: string, svc: Referral): Promise<SweepResult> {
    return this.at(at).sweep(svc);
  }

  async create(svc: Referral, from: TestOrganization, to: TestOrganization): Promise<string> {
    const res = await request(svc.server).post('/v1/referrals').auth(from.token, { type: 'bearer' }).send(new ReferralKit().referralBody(to));
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async post(svc: Referral, org: TestOrganization, path: string, body: object): Promise<any> {
    const res = await request(svc.server).post(path).auth(org.token, { type: 'bearer' }).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async sql<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** A referral's schedule as rows, firing order. */
  schedule(referralId: string) {
    return this.sql<{ standard: string; kind: string; fire_at: Date; version: number; fired: boolean }>(
      `SELECT standard, kind, fire_at, version, fired_at IS NOT NULL AS fired FROM referral_reminder WHERE referral_id = $1 ORDER BY fire_at, kind`,
      [referralId],
    );
  }

  /**
   * The deadline events of these referrals on the REFERRAL stream, read once every event written
   * so far has been relayed (the outbox is empty): what is there then is all there is.
   */
  async deadlineEvents(svc: Referral, referralIds: string[], expected: number): Promise<EventEnvelope<ReferralDeadlinePayload>[]> {
    await pollUntil(
      async () => (await this.sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0]!.n,
      (n) => n === 0,
      { timeoutMs: 60_000, intervalMs: 200, what: 'the outbox relayed' },
    );
    const stream = svc.app.get(NatsClient).stream('REFERRAL');
    return streamEvents<ReferralDeadlinePayload>(
      stream,
      (e) => referralIds.includes(e.data.referralId) && (e.type === 'referral.v1.due-soon' || e.type === 'referral.v1.overdue'),
      { expected, timeoutMs: 60_000 },
    );
  }

  async close(): Promise<void> {
    for (const svc of this.live.splice(0)) await svc.close().catch(() => undefined);
    await this.database.drop();
  }
}

const summary = (events: EventEnvelope<ReferralDeadlinePayload>[]) =>
  events.map((e) => ({ type: e.type, referralId: e.data.referralId, standard: e.data.standard, dueAt: e.data.dueAt, version: e.data.version, occurredAt: e.data.occurredAt }));

/**
 * The clock the referral service owns: in America/New_York, with US federal holidays. The referral
 * is made on Friday 15 January 2027; Monday 18 is Martin Luther King Jr. Day. Two business days to
 * respond: Tuesday 19 (1), Wednesday 20 (2) — the deadline is the end of Wednesday.
 */
describe('platform-standards reminders', () => {
  let network: TestNetwork;
  let replicas: ReferralReplicas;
  let clinic: TestOrganization;
  let pantry: TestOrganization;

  beforeAll(async () => {
    network = await TestNetwork.start(['consent']);
    clinic = await network.organization({ kind: 'health-system' });
    pantry = await network.organization({ kind: 'cbo' });
  });
  afterAll(() => network?.close());

  beforeEach(async () => {
    replicas = await ReferralReplicas.on(network);
  });
  afterEach(() => replicas?.close());

  it('walks a referral over the weekend and the holiday: due-soon and overdue once each, across a restart of the service', async () => {
    const first = await replicas.at('2027-01-15T10:00:00-05:00').start();
    const friday = await replicas.create(first, clinic, pantry);
    expect(await replicas.schedule(friday)).toEqual([
      { standard: 'respond', kind: 'due-soon', fire_at: new Date('2027-01-20T00:00:00-05:00'), version: 1, fired: false },
      { standard: 'respond', kind: 'overdue', fire_at: new Date('2027-01-21T00:00:00-05:00'), version: 1, fired: false },
    ]);

    // Saturday, Sunday, the holiday, Tuesday (when a second referral comes in) up to its last instant: nothing is due.
    for (const at of ['2027-01-16T12:00:00-05:00', '2027-01-17T12:00:00-05:00', '2027-01-18T12:00:00-05:00', '2027-01-19T10:00:00-05:00']) {
      expect(await replicas.sweepAt(at, first)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });
    }
    // Tuesday's referral: Wednesday (1), Thursday (2) — due-soon at the start of Thursday.
    const tuesday = await replicas.create(first, clinic, pantry);
    expect(await replicas.sweepAt('2027-01-19T23:59:59.999-05:00', first)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });

    // Wednesday begins: one business day left on Friday's referral.
    expect(await replicas.sweepAt('2027-01-20T00:00:00-05:00', first)).toEqual({ fired: 1, cancelled: 0, postponed: 0 });
    expect(await replicas.sweepAt('2027-01-20T12:00:00-05:00', first)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });

    // The service stops on Wednesday and is down while Friday's deadline passes and Tuesday's due-soon falls due.
    await replicas.stop(first);
    const second = await replicas.at('2027-01-21T10:00:00-05:00').start({ sweepEverySeconds: 1 });
    // The new instance's own timer catches up on what fell due while nothing ran; a sweep by hand then finds nothing more.
    await pollUntil(
      () => replicas.sql(`SELECT count(*)::int AS n FROM referral_reminder WHERE fired_at IS NOT NULL`),
      ([row]) => row.n === 3,
      { timeoutMs: 60_000, intervalMs: 200, what: 'the restarted service to fire what fell due while it was down' },
    );
    expect(await replicas.sweep(second)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });
    // Friday 22 January begins: Tuesday's referral is overdue.
    replicas.at('2027-01-22T00:00:00-05:00');
    await pollUntil(() => replicas.schedule(tuesday), (rows) => rows.every((r) => r.fired), { timeoutMs: 60_000, intervalMs: 200, what: 'the overdue of Tuesday’s referral' });

    const events = await replicas.deadlineEvents(second, [friday, tuesday], 4);
    expect(summary(events)).toEqual([
      { type: 'referral.v1.due-soon', referralId: friday, standard: 'respond', dueAt: '2027-01-21T04:59:59.999Z', version: 1, occurredAt: '2027-01-20T05:00:00.000Z' },
      { type: 'referral.v1.overdue', referralId: friday, standard: 'respond', dueAt: '2027-01-21T04:59:59.999Z', version: 1, occurredAt: '2027-01-21T15:00:00.000Z' },
      { type: 'referral.v1.due-soon', referralId: tuesday, standard: 'respond', dueAt: '2027-01-22T04:59:59.999Z', version: 1, occurredAt: '2027-01-21T15:00:00.000Z' },
      { type: 'referral.v1.overdue', referralId: tuesday, standard: 'respond', dueAt: '2027-01-22T04:59:59.999Z', version: 1, occurredAt: '2027-01-22T05:00:00.000Z' },
    ]);
    for (const event of events) {
      expect(event.data).toMatchObject({ senderOrganizationId: clinic.id, receivingOrganizationId: pantry.id, status: 'requested' });
      expect(JSON.stringify(event)).not.toMatch(/Rosa|Delgado|1979-05-14|groceries/);
    }
  });

  it('cancels what a change meets, reschedules what it moves, and escalates the case stale 3 months without a note', async () => {
    const svc = await replicas.at('2027-01-15T10:00:00-05:00').start();
    const id = await replicas.create(svc, clinic, pantry);
    // Accepted on Tuesday, before Wednesday's reminder: the respond standard is met, its reminders go.
    replicas.at('2027-01-19T09:00:00-05:00');
    await replicas.post(svc, pantry, `/v1/referrals/${id}/status`, { status: 'accepted', version: 1 });
    // 7 business days to the first note: 20, 21, 22, 25, 26, 27, 28 → end of Thursday 28; the cadence runs from acceptance.
    expect(await replicas.schedule(id)).toEqual([
      { standard: 'first-note', kind: 'due-soon', fire_at: new Date('2027-01-28T00:00:00-05:00'), version: 2, fired: false },
      { standard: 'first-note', kind: 'overdue', fire_at: new Date('2027-01-29T00:00:00-05:00'), version: 2, fired: false },
      { standard: 'note-cadence', kind: 'overdue', fire_at: new Date('2027-04-19T13:00:00.001Z'), version: 2, fired: false },
    ]);
    expect(await replicas.sweepAt('2027-01-21T12:00:00-05:00', svc)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });

    // A contact attempt changes no deadline: the schedule keeps the version it was reckoned for.
    await replicas.post(svc, pantry, `/v1/referrals/${id}/contact-attempts`, { channel: 'phone', result: 'no-answer', at: '2027-01-21T11:00:00-05:00' });
    expect((await replicas.schedule(id)).map((r) => r.version)).toEqual([2, 2, 2]);

    expect(await replicas.sweepAt('2027-01-28T00:00:00-05:00', svc)).toEqual({ fired: 1, cancelled: 0, postponed: 0 });
    // The first note on the deadline's day keeps the standard (no escalation) and restarts the cadence.
    replicas.at('2027-01-28T10:00:00-05:00');
    const noted = await replicas.post(svc, pantry, `/v1/referrals/${id}/notes`, { text: 'Intake booked', visibility: 'shared' });
    expect(await replicas.schedule(id)).toEqual([
      { standard: 'first-note', kind: 'due-soon', fire_at: new Date('2027-01-28T00:00:00-05:00'), version: 2, fired: true },
      { standard: 'note-cadence', kind: 'overdue', fire_at: new Date('2027-04-28T14:00:00.001Z'), version: noted.version, fired: false },
    ]);
    expect(await replicas.sweepAt('2027-01-29T00:00:01-05:00', svc)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });

    // Three months without a note: not at the deadline's last instant, just after it; and only once.
    expect(await replicas.sweepAt('2027-04-28T10:00:00.000-04:00', svc)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });
    expect(await replicas.sweepAt('2027-04-28T10:00:00.001-04:00', svc)).toEqual({ fired: 1, cancelled: 0, postponed: 0 });
    expect(await replicas.sweepAt('2027-05-28T10:00:00-04:00', svc)).toEqual({ fired: 0, cancelled: 0, postponed: 0 });
    expect(summary(await replicas.deadlineEvents(svc, [id], 2))).toEqual([
      { type: 'referral.v1.due-soon', referralId: id, standard: 'first-note', dueAt: '2027-01-29T04:59:59.999Z', version: 2, occurredAt: '2027-01-28T05:00:00.000Z' },
      { type: 'referral.v1.overdue', referralId: id, standard: 'note-cadence', dueAt: '2027-04-28T14:00:00.000Z', version: noted.version, occurredAt: '2027-04-28T14:00:00.001Z' },
    ]);
  });

  it('starts a forwarded referral on a schedule of its own and drops what the original still owed', async () => {
    const svc = await replicas.at('2027-01-15T10:00:00-05:00').start();
    const shelter = await network.organization({ kind: 'cbo' });
    const original = await replicas.create(svc, clinic, pantry);
    const [{ client_id: clientId }] = await replicas.sql(`SELECT client_id FROM referral WHERE id = $1`, [original]);
    await new ReferralKit(network).grant(clinic, clientId, [shelter]);
    // Forwarded on Tuesday 19: the new request's 2 business days are Wednesday and Thursday.
    replicas.at('2027-01-19T09:00:00-05:00');
    const forwarded = await replicas.post(svc, pantry, `/v1/referrals/${original}/forward`, { receivingOrganizationId: shelter.id, reason: 'We do not do housing', version: 1 });
    expect(await replicas.schedule(original)).toEqual([]);
    expect(await replicas.schedule(forwarded.id)).toEqual([
      { standard: 'respond', kind: 'due-soon', fire_at: new Date('2027-01-21T00:00:00-05:00'), version: 1, fired: false },
      { standard: 'respond', kind: 'overdue', fire_at: new Date('2027-01-22T00:00:00-05:00'), version: 1, fired: false },
    ]);
    expect(await replicas.sweepAt('2027-01-21T00:00:00-05:00', svc)).toEqual({ fired: 1, cancelled: 0, postponed: 0 });
    const [event] = await replicas.deadlineEvents(svc, [original, forwarded.id], 1);
    expect(event!.data).toMatchObject({ referralId: forwarded.id, senderOrganizationId: pantry.id, receivingOrganizationId: shelter.id, standard: 'respond' });
  });

  it('drops, without firing, a reminder the referral no longer owes when a write went around the schedule', async () => {
    const svc = await replicas.at('2027-01-15T10:00:00-05:00').start();
    const id = await replicas.create(svc, clinic, pantry);
    await replicas.sql(`UPDATE referral SET status = 'cancelled', closed_at = $2, version = version + 1 WHERE id = $1`, [id, new Date('2027-01-19T09:00:00-05:00')]);
    expect(await replicas.sweepAt('2027-01-20T00:00:00-05:00', svc)).toEqual({ fired: 0, cancelled: 1, postponed: 0 });
    expect(await replicas.sweepAt('2027-01-21T00:00:00-05:00', svc)).toEqual({ fired: 0, cancelled: 1, postponed: 0 });
    expect(await replicas.schedule(id)).toEqual([]);
    expect(await replicas.sql(`SELECT 1 FROM outbox WHERE envelope->'data'->>'referralId' = $1 AND subject <> 'referral.v1.requested'`, [id])).toEqual([]);
  });

  it('leaves the reminders of a referral being changed to the next sweep, which sees the change', async () => {
    const svc = await replicas.at('2027-01-15T10:00:00-05:00').start();
    const [held, free] = [await replicas.create(svc, clinic, pantry), await replicas.create(svc, clinic, pantry)];
    // A write holds `held` (as ReferralWriter does from its UPDATE to its commit) while Wednesday's reminders fall due.
    const writer = new PgClient({ connectionString: replicas.database.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT 1 FROM referral WHERE id = $1 FOR UPDATE`, [held]);
      expect(await replicas.sweepAt('2027-01-20T00:00:00-05:00', svc)).toEqual({ fired: 1, cancelled: 0, postponed: 1 });
      // The write cancels the referral, taking its reminders with it… but went around the writer, so the sweep must notice.
      await writer.query(`UPDATE referral SET status = 'cancelled', closed_at = $2, version = version + 1 WHERE id = $1`, [held, new Date('2027-01-19T23:59:00-05:00')]);
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    expect(await replicas.sweep(svc)).toEqual({ fired: 0, cancelled: 1, postponed: 0 });
    expect((await replicas.schedule(free)).map((r) => `${r.kind}:${r.fired}`)).toEqual(['due-soon:true', 'overdue:false']);
    // What a bypassing write leaves behind goes when it falls due, beside the other referral's escalation.
    expect((await replicas.schedule(held)).map((r) => `${r.kind}:${r.fired}`)).toEqual(['overdue:false']);
    expect(await replicas.sweepAt('2027-01-21T00:00:00-05:00', svc)).toEqual({ fired: 1, cancelled: 1, postponed: 0 });
    expect(await replicas.schedule(held)).toEqual([]);
  });

  it('fires each reminder once with two instances of the service sweeping the same schedule', async () => {
    const [one, two] = [await replicas.at('2027-01-15T10:00:00-05:00').start({ sweepEverySeconds: 1, batchSize: 3 }), await replicas.start({ sweepEverySeconds: 1, batchSize: 3 })];
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await replicas.create(i % 2 ? two : one, clinic, pantry));

    for (const [at, kind] of [
      ['2027-01-20T00:00:00-05:00', 'due-soon'],
      ['2027-01-21T00:00:00-05:00', 'overdue'],
    ] as const) {
      replicas.at(at);
      // Besides both timers, sweeps by hand on both instances at once, in small batches: they contend for the same rows.
      const results = await Promise.all([one, two, one, two, one, two].map((svc) => replicas.sweep(svc)));
      expect(results.every((r) => r.cancelled === 0 && r.postponed === 0)).toBe(true);
      await pollUntil(
        () => replicas.sql(`SELECT count(*)::int AS n FROM referral_reminder WHERE kind = $1 AND fired_at IS NOT NULL AND referral_id = ANY($2::uuid[])`, [kind, ids]),
        ([row]) => row.n === ids.length,
        { timeoutMs: 60_000, intervalMs: 200, what: `${ids.length} ${kind} reminders fired` },
      );
    }

    const events = await replicas.deadlineEvents(one, ids, 2 * ids.length);
    expect(events).toHaveLength(2 * ids.length);
    for (const id of ids) {
      expect(events.filter((e) => e.data.referralId === id).map((e) => e.type)).toEqual(['referral.v1.due-soon', 'referral.v1.overdue']);
    }
  });
});
