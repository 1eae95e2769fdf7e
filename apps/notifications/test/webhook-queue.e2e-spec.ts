import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@nwd/persistence';
import { createTestDatabase, TestDatabase } from '@nwd/testing';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';
import { AttemptRecord, WebhookDeliveriesRepository } from '../src/webhooks/webhook-deliveries.repository';

/**
 * The queue's claim rule on the real schema: due, unleased, endpoint active, and no earlier
 * pending delivery for the same referral to the same endpoint; replicas claiming at once get disjoint rows.
 */
describe('webhook delivery queue (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let queue: WebhookDeliveriesRepository;
  const now = new Date('2026-12-01T12:00:00Z');
  const lease = 60_000;

  beforeAll(async () => {
    database = await createTestDatabase('notifications');
    dataSource = await new DataSource(dataSourceOptions(database.url, { entities, migrations })).initialize();
    queue = new WebhookDeliveriesRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function endpoint(organizationId = randomUUID()): Promise<{ id: string; organizationId: string }> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO webhook_endpoint (id, organization_id, url, events, status, secret_sealed, created_at, updated_at)
       VALUES ($1, $2, 'https://hooks.example.org/x', '{referral.v1.requested,referral.v1.accepted,referral.v1.in-progress}', 'active', 'sealed', now(), now())`,
      [id, organizationId],
    );
    return { id, organizationId };
  }

  /** Queues events in order through the consumer's path; returns their event ids. */
  async function queueEvents(organizationId: string, referralId: string, types: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const type of types) {
      const eventId = randomUUID();
      ids.push(eventId);
      await dataSource.transaction((manager) =>
        queue.enqueue(manager, { eventId, eventType: type, referralId, occurredAt: now.toISOString(), body: JSON.stringify({ type }) }, [organizationId], now),
      );
    }
    return ids;
  }

  const answered = (statusCode: number | null): AttemptRecord => ({ attemptedAt: now, statusCode, durationMs: 1, error: statusCode === 204 ? null : 'down' });
  const eventOf = async (deliveryId: string) => (await dataSource.query(`SELECT event_type FROM webhook_delivery WHERE id = $1`, [deliveryId]))[0].event_type as string;

  it('offers only the head of each referral, and the next once the head is delivered', async () => {
    const { id: endpointId, organizationId } = await endpoint();
    const [r, s] = [randomUUID(), randomUUID()];
    await queueEvents(organizationId, r, ['referral.v1.requested', 'referral.v1.accepted', 'referral.v1.in-progress']);
    await queueEvents(organizationId, s, ['referral.v1.requested', 'referral.v1.accepted']);

    const first = (await queue.claim(now, 100, lease)).filter((d) => d.endpointId === endpointId);
    expect(await Promise.all(first.map((d) => eventOf(d.id)))).toEqual(['referral.v1.requested', 'referral.v1.requested']);
    // Leased: nothing more for these referrals until they are answered.
    expect((await queue.claim(now, 100, lease)).filter((d) => d.endpointId === endpointId)).toEqual([]);

    // r's head fails and is due again later; s's head is delivered: only s moves on.
    const [rHead, sHead] = first;
    await queue.record([
      { id: rHead!.id, attempt: answered(null), retryAt: new Date(now.getTime() + 30_000) },
      { id: sHead!.id, attempt: answered(204) },
    ]);
    const second = (await queue.claim(now, 100, lease)).filter((d) => d.endpointId === endpointId);
    expect(second.map((d) => d.id)).not.toContain(rHead!.id);
    expect(await Promise.all(second.map((d) => eventOf(d.id)))).toEqual(['referral.v1.accepted']);

    // When r's retry comes due it is offered again, still before its later events.
    const later = new Date(now.getTime() + 31_000);
    const third = (await queue.claim(later, 100, lease)).filter((d) => d.endpointId === endpointId);
    expect(third.map((d) => d.id)).toEqual([rHead!.id]);
    expect(third[0]!.attempts).toBe(2);
  });

  it('holds deliveries to a disabled endpoint', async () => {
    const { id: endpointId, organizationId } = await endpoint();
    await queueEvents(organizationId, randomUUID(), ['referral.v1.requested']);
    await dataSource.query(`UPDATE webhook_endpoint SET status = 'disabled' WHERE id = $1`, [endpointId]);
    expect((await queue.claim(now, 100, lease)).filter((d) => d.endpointId === endpointId)).toEqual([]);
    await dataSource.query(`UPDATE webhook_endpoint SET status = 'active' WHERE id = $1`, [endpointId]);
    expect((await queue.claim(now, 100, lease)).filter((d) => d.endpointId === endpointId)).toHaveLength(1);
  });

  it('gives replicas claiming at the same moment disjoint deliveries', async () => {
    const { organizationId } = await endpoint();
    for (let i = 0; i < 60; i++) await queueEvents(organizationId, randomUUID(), ['referral.v1.requested']);
    const replicas = await Promise.all(Array.from({ length: 4 }, () => new DataSource(dataSourceOptions(database.url, { entities, migrations }, 4)).initialize()));
    try {
      const claims = await Promise.all(replicas.map((ds) => new WebhookDeliveriesRepository(ds).claim(now, 25, lease)));
      const ids = claims.flat().map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(60);
    } finally {
      await Promise.all(replicas.map((ds) => ds.destroy()));
    }
  });

  it('queues an event once per endpoint, whatever the redeliveries of the event', async () => {
    const { id: endpointId, organizationId } = await endpoint();
    const eventId = randomUUID();
    const event = { eventId, eventType: 'referral.v1.requested', referralId: randomUUID(), occurredAt: now.toISOString(), body: '{}' };
    expect(await dataSource.transaction((m) => queue.enqueue(m, event, [organizationId], now))).toBe(1);
    expect(await dataSource.transaction((m) => queue.enqueue(m, event, [organizationId], now))).toBe(0);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1`, [endpointId]);
    expect(n).toBe(1);
  });
});
