import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** What one delivery to an endpoint is about (the queue's row, without its state). */
export interface QueuedEvent {
  eventId: string;
  eventType: string;
  referralId: string;
  occurredAt: string;
  body: string;
}

/** A delivery leased to this dispatcher, with what it needs to sign and send it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  organizationId: string;
  url: string;
  body: string;
  attempts: number;
  windowStartedAt: Date;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface AttemptRecord {
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  eventType: string;
  referralId: string;
  occurredAt: Date;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  log: AttemptRecord[];
}

/** What the dispatcher wakes on: a trigger NOTIFYs it when a transaction that queued deliveries commits. */
export const DELIVERY_CHANNEL = 'nwd_webhook_deliveries';

/**
 * The persisted delivery queue. A delivery is due when its time has come, no live lease holds
 * it, its endpoint is active, and no earlier delivery for the same referral to the same
 * endpoint is still pending: a later event waits while an earlier one is retried.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Queues an event for every active endpoint of these organizations subscribed to its type; inside the consumer's transaction. */
  async enqueue(manager: EntityManager, event: QueuedEvent, organizationIds: string[], now: Date): Promise<number> {
    if (!organizationIds.length) return 0;
    const rows: unknown[] = await manager.query(
      `INSERT INTO webhook_delivery
         (id, endpoint_id, organization_id, event_id, event_type, referral_id, occurred_at, body, status, next_attempt_at, window_started_at, created_at)
       SELECT gen_random_uuid(), e.id, e.organization_id, $2, $3, $4, $5, $6, 'pending', $7, $7, $7
         FROM webhook_endpoint e
        WHERE e.organization_id = ANY($1::uuid[]) AND e.status = 'active' AND $3 = ANY(e.events)
        ORDER BY e.id
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [organizationIds, event.eventId, event.eventType, event.referralId, event.occurredAt, event.body, now],
    );
    return rows.length;
  }

  /**
   * Leases up to `limit` due deliveries. SKIP LOCKED lets replicas claim side by side without
   * waiting or taking the same row; the lease (not a held transaction) covers the HTTP call, so a
   * dispatcher that dies mid-send leaves its deliveries to be claimed again when the lease ends.
   */
  async claim(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM webhook_delivery d
           JOIN webhook_endpoint e ON e.id = d.endpoint_id AND e.status = 'active'
          WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.leased_until IS NULL OR d.leased_until <= $1)
            AND NOT EXISTS (
              SELECT 1 FROM webhook_delivery earlier
               WHERE earlier.endpoint_id = d.endpoint_id AND earlier.referral_id = d.referral_id
                 AND earlier.status = 'pending' AND earlier.seq < d.seq)
          ORDER BY d.next_attempt_at, d.seq
          LIMIT $2
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_delivery d SET leased_until = $1::timestamptz + make_interval(secs => $3::double precision / 1000), attempts = d.attempts + 1
         FROM due, webhook_endpoint e
        WHERE d.id = due.id AND e.id = d.endpoint_id
       RETURNING d.id, d.endpoint_id AS "endpointId", d.organization_id AS "organizationId", e.url, d.body, d.attempts,
         d.window_started_at AS "windowStartedAt", e.secret_sealed AS "secretSealed",
         e.previous_secret_sealed AS "previousSecretSealed", e.previous_secret_expires_at AS "previousSecretExpiresAt"`,
      [now, limit, leaseMs],
    );
    return rows;
  }

  /**
   * Records one batch's answers in one transaction: every try in the log, and each delivery
   * delivered or due again at its retry time (its lease released either way).
   */
  async record(outcomes: { id: string; attempt: AttemptRecord; retryAt?: Date }[]): Promise<void> {
    if (!outcomes.length) return;
    const column = <T>(pick: (o: (typeof outcomes)[number]) => T) => outcomes.map(pick);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_attempt (delivery_id, attempted_at, status_code, duration_ms, error)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[])`,
        [column((o) => o.id), column((o) => o.attempt.attemptedAt), column((o) => o.attempt.statusCode), column((o) => o.attempt.durationMs), column((o) => o.attempt.error)],
      );
      await manager.query(
        `UPDATE webhook_delivery d SET
           status = CASE WHEN r.retry_at IS NULL THEN 'delivered' ELSE 'pending' END,
           delivered_at = CASE WHEN r.retry_at IS NULL THEN r.attempted_at END,
           next_attempt_at = COALESCE(r.retry_at, d.next_attempt_at),
           leased_until = NULL, last_status_code = r.status_code, last_error = r.error
         FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::text[], $5::timestamptz[]) AS r(id, attempted_at, status_code, error, retry_at)
         WHERE d.id = r.id`,
        [column((o) => o.id), column((o) => o.attempt.attemptedAt), column((o) => o.attempt.statusCode), column((o) => o.attempt.error), column((o) => o.retryAt ?? null)],
      );
    });
  }

  /**
   * The retry window has passed: the delivery fails, its endpoint is disabled (its other pending
   * deliveries wait, and resume if an admin turns it back on) and the organization's admins are alerted.
   */
  async giveUp(delivery: ClaimedDelivery, attempt: AttemptRecord, reason: string, alert: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.log(manager, delivery.id, attempt);
      await manager.query(
        `UPDATE webhook_delivery SET status = 'failed', leased_until = NULL, last_status_code = $2, last_error = $3 WHERE id = $1`,
        [delivery.id, attempt.statusCode, attempt.error],
      );
      const [disabled] = await manager.query(
        `UPDATE webhook_endpoint SET status = 'disabled', disabled_reason = $2, updated_at = $3 WHERE id = $1 AND status = 'active' RETURNING id`,
        [delivery.endpointId, reason, attempt.attemptedAt],
      );
      if (disabled.length) {
        await manager.query(
          `INSERT INTO webhook_alert (id, organization_id, endpoint_id, kind, reason, created_at) VALUES (gen_random_uuid(), $1, $2, 'endpoint-disabled', $3, $4)`,
          [delivery.organizationId, delivery.endpointId, reason, attempt.attemptedAt],
        );
        await alert(manager);
      }
    });
  }

  async logFor(organizationId: string, endpointId: string, limit: number, deliveryId?: string): Promise<DeliveryLogEntry[]> {
    return this.dataSource.query(
      `SELECT d.id, d.event_id AS "eventId", d.event_type AS "eventType", d.referral_id AS "referralId", d.occurred_at AS "occurredAt",
              d.status, d.attempts, CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
              d.delivered_at AS "deliveredAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.created_at AS "createdAt",
              COALESCE((SELECT json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code,
                                                          'durationMs', a.duration_ms, 'error', a.error) ORDER BY a.id)
                          FROM webhook_attempt a WHERE a.delivery_id = d.id), '[]') AS log
         FROM webhook_delivery d
        WHERE d.organization_id = $1 AND d.endpoint_id = $2 AND ($4::uuid IS NULL OR d.id = $4)
        ORDER BY d.seq DESC LIMIT $3`,
      [organizationId, endpointId, limit, deliveryId ?? null],
    );
  }

  /** Sends one delivery again (delivered or failed), as soon as the order per referral allows; true when it exists. */
  async redeliver(organizationId: string, endpointId: string, deliveryId: string, now: Date): Promise<boolean> {
    const rows = await this.requeue(organizationId, endpointId, `d.id = $3`, [deliveryId], now);
    return rows > 0;
  }

  /** Sends again every delivery of events that occurred in [since, until), in their original order. */
  replay(organizationId: string, endpointId: string, since: Date, until: Date, now: Date): Promise<number> {
    return this.requeue(organizationId, endpointId, `d.occurred_at >= $3 AND d.occurred_at < $4`, [since, until], now);
  }

  private async requeue(organizationId: string, endpointId: string, condition: string, values: unknown[], now: Date): Promise<number> {
    const now$ = `$${values.length + 3}`;
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhook_delivery d SET status = 'pending', next_attempt_at = ${now$}, window_started_at = ${now$}, leased_until = NULL, delivered_at = NULL
        WHERE d.organization_id = $1 AND d.endpoint_id = $2 AND ${condition} AND d.status <> 'pending'
        RETURNING d.id`,
      [organizationId, endpointId, ...values, now],
    );
    if (rows.length) await this.dataSource.query(`SELECT pg_notify($1, '')`, [DELIVERY_CHANNEL]);
    // A delivery already pending is on its way: it counts as requeued too.
    const [pending] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_delivery d WHERE d.organization_id = $1 AND d.endpoint_id = $2 AND ${condition} AND d.status = 'pending'`,
      [organizationId, endpointId, ...values],
    );
    return pending.n;
  }

  private async log(manager: EntityManager, deliveryId: string, attempt: AttemptRecord): Promise<void> {
    await manager.query(
      `INSERT INTO webhook_attempt (delivery_id, attempted_at, status_code, duration_ms, error) VALUES ($1, $2, $3, $4, $5)`,
      [deliveryId, attempt.attemptedAt, attempt.statusCode, attempt.durationMs, attempt.error],
    );
  }
}
