import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { SystemAccess } from '@nwd/auth';

export interface QueuedMail {
  /** One mail per happening and mailbox, however often the enqueuing transaction is retried. */
  dedupeKey: string;
  subscriptionId: string | null;
  organizationId: string | null;
  address: string;
  subject: string;
  body: string;
  /** Not sent before this (quiet hours); retries move it on. */
  notBefore: Date;
  createdAt: Date;
}

export interface ClaimedMail {
  id: string;
  address: string;
  subject: string;
  body: string;
  /** This attempt's number, from 1. */
  attempts: number;
}

/**
 * The outgoing mail queue. A sender claims due mail by moving its `not_before` past a lease (SKIP
 * LOCKED, so two replicas never claim the same row) and then settles it: sent, retried at a later
 * `not_before`, or failed. A sender that dies mid-send leaves the row to be claimed again after the lease.
 */
@Injectable()
export class OutgoingMailRepository {
  constructor(private readonly dataSource: DataSource) {}

  async enqueue(_: SystemAccess, manager: EntityManager, mail: QueuedMail): Promise<void> {
    await manager.query(
      `INSERT INTO outgoing_mail (id, dedupe_key, subscription_id, organization_id, address, subject, body, not_before, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING`,
      [uuidv7(), mail.dedupeKey, mail.subscriptionId, mail.organizationId, mail.address, mail.subject, mail.body, mail.notBefore, mail.createdAt],
    );
  }

  async claimDue(_: SystemAccess, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMail[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE outgoing_mail m SET attempts = m.attempts + 1, not_before = $2
       FROM (SELECT id FROM outgoing_mail WHERE status = 'pending' AND not_before <= $1
             ORDER BY not_before, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE m.id = due.id
       RETURNING m.id, m.address, m.subject, m.body, m.attempts`,
      [now, leaseUntil, limit],
    )) as [ClaimedMail[], number];
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async markSent(_: SystemAccess, id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE outgoing_mail SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1`, [id, at]);
  }

  async retryAt(_: SystemAccess, id: string, at: Date, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE outgoing_mail SET not_before = $2, last_error = $3 WHERE id = $1`, [id, at, error.slice(0, 1000)]);
  }

  async giveUp(_: SystemAccess, id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE outgoing_mail SET status = 'failed', last_error = $2 WHERE id = $1`, [id, error.slice(0, 1000)]);
  }
}
