import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SystemAccess } from '@nwd/auth';
import type { PartnerEventType } from '@nwd/contracts';
import { NotificationOwner } from '../recipients/notification-owner';
import { Subscription } from './subscription';

interface SubscriptionRow {
  id: string;
  organization_id: string | null;
  channel: Subscription['channel'];
  address: string | null;
  event_types: PartnerEventType[];
  language: Subscription['language'];
  time_zone: string;
  quiet_start: string | null;
  quiet_end: string | null;
  digest: Subscription['digest'];
  digest_time: string | null;
  next_digest_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    owner: row.organization_id ? NotificationOwner.organization(row.organization_id) : NotificationOwner.network,
    channel: row.channel,
    address: row.address,
    eventTypes: row.event_types,
    language: row.language,
    timeZone: row.time_zone,
    quietHours: row.quiet_start && row.quiet_end ? { start: row.quiet_start, end: row.quiet_end } : null,
    digest: row.digest,
    digestTime: row.digest_time,
    nextDigestAt: row.next_digest_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function values(s: Subscription): unknown[] {
  return [
    s.id, NotificationOwner.column(s.owner), s.channel, s.address, s.eventTypes, s.language, s.timeZone,
    s.quietHours?.start ?? null, s.quietHours?.end ?? null, s.digest, s.digestTime, s.createdAt, s.updatedAt, s.nextDigestAt,
  ];
}

/** `organization_id = $n`, or `IS NULL` for the network: every owner-facing query filters by one. */
function ownerFilter(owner: NotificationOwner, param: number): string {
  return owner.kind === 'network' ? `organization_id IS NULL AND $${param}::uuid IS NULL` : `organization_id = $${param}`;
}

@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(subscription: Subscription): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_subscription (id, organization_id, channel, address, event_types, language, time_zone,
         quiet_start, quiet_end, digest, digest_time, created_at, updated_at, next_digest_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      values(subscription),
    );
  }

  async list(owner: NotificationOwner): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT * FROM notification_subscription WHERE ${ownerFilter(owner, 1)} ORDER BY created_at, id`,
      [NotificationOwner.column(owner)],
    );
    return rows.map(fromRow);
  }

  async find(owner: NotificationOwner, id: string): Promise<Subscription | undefined> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT * FROM notification_subscription WHERE id = $2 AND ${ownerFilter(owner, 1)}`,
      [NotificationOwner.column(owner), id],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Writes every changeable field of the subscription (its owner, channel and creation stay as they were). */
  async save(owner: NotificationOwner, s: Subscription): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_subscription SET address = $3, event_types = $4, language = $5, time_zone = $6,
         quiet_start = $7, quiet_end = $8, digest = $9, digest_time = $10, updated_at = $11, next_digest_at = $12
       WHERE id = $1 AND ${ownerFilter(owner, 2)}`,
      [s.id, NotificationOwner.column(owner), s.address, s.eventTypes, s.language, s.timeZone, s.quietHours?.start ?? null,
        s.quietHours?.end ?? null, s.digest, s.digestTime, s.updatedAt, s.nextDigestAt],
    );
  }

  async delete(owner: NotificationOwner, id: string): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      `DELETE FROM notification_subscription WHERE id = $2 AND ${ownerFilter(owner, 1)}`,
      [NotificationOwner.column(owner), id],
    )) as [unknown, number];
    return affected > 0;
  }

  /** The subscriptions of these owners to this event type, inside the consumer's transaction. */
  async subscribedTo(_: SystemAccess, manager: EntityManager, owners: NotificationOwner[], eventType: string): Promise<Subscription[]> {
    const organizations = owners.flatMap((o) => (o.kind === 'organization' ? [o.organizationId] : []));
    const network = owners.some((o) => o.kind === 'network');
    const rows: SubscriptionRow[] = await manager.query(
      `SELECT * FROM notification_subscription
       WHERE $1 = ANY(event_types) AND (organization_id = ANY($2::uuid[]) OR ($3 AND organization_id IS NULL))
       ORDER BY created_at, id`,
      [eventType, organizations, network],
    );
    return rows.map(fromRow);
  }

  /** Every email subscription of an owner, whatever its event types: where a platform alert goes. */
  async emailOf(_: SystemAccess, manager: EntityManager, owner: NotificationOwner): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await manager.query(
      `SELECT * FROM notification_subscription WHERE channel = 'email' AND ${ownerFilter(owner, 1)} ORDER BY created_at, id`,
      [NotificationOwner.column(owner)],
    );
    return rows.map(fromRow);
  }

  /**
   * Digest subscriptions whose digest fell due by `now` and that no other replica is assembling,
   * locked until `manager`'s transaction ends (SKIP LOCKED: two replicas share the work, never doubling it).
   */
  async lockDueDigests(_: SystemAccess, manager: EntityManager, now: Date, limit: number): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await manager.query(
      `SELECT * FROM notification_subscription WHERE digest IS NOT NULL AND next_digest_at <= $1
       ORDER BY next_digest_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(fromRow);
  }

  async scheduleNextDigest(_: SystemAccess, manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE notification_subscription SET next_digest_at = $2 WHERE id = $1`, [id, at]);
  }
}
