import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SystemAccess } from '@nwd/auth';
import { NotificationOwner } from '../recipients/notification-owner';
import { InAppNotification } from './in-app-notification';

interface Row {
  id: string;
  organization_id: string | null;
  user_id: string | null;
  kind: InAppNotification['kind'];
  event_type: string | null;
  purpose: InAppNotification['purpose'];
  alert: string | null;
  referral_id: string | null;
  subject_id: string | null;
  status: string | null;
  standard: string | null;
  due_at: Date | null;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

function fromRow(row: Row): InAppNotification {
  return {
    id: row.id,
    owner: row.organization_id ? NotificationOwner.organization(row.organization_id) : NotificationOwner.network,
    userId: row.user_id,
    kind: row.kind,
    eventType: row.event_type,
    purpose: row.purpose,
    alert: row.alert,
    referralId: row.referral_id,
    subjectId: row.subject_id,
    status: row.status,
    standard: row.standard,
    dueAt: row.due_at,
    link: row.link,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** The owner's rows only: `organization_id = $1`, or the network's (`IS NULL`). */
function ownerFilter(owner: NotificationOwner): string {
  return owner.kind === 'network' ? `organization_id IS NULL AND $1::uuid IS NULL` : `organization_id = $1`;
}

export interface InboxPosition {
  createdAt: Date;
  id: string;
}

@Injectable()
export class InboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds a notification unless its dedupe key is already there (a redelivered event or a repeated alert). */
  async add(_: SystemAccess, manager: EntityManager, dedupeKey: string, n: InAppNotification): Promise<void> {
    await manager.query(
      `INSERT INTO in_app_notification (id, dedupe_key, organization_id, user_id, kind, event_type, purpose, alert, referral_id, subject_id,
         status, standard, due_at, link, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (dedupe_key) DO NOTHING`,
      [n.id, dedupeKey, NotificationOwner.column(n.owner), n.userId, n.kind, n.eventType, n.purpose, n.alert, n.referralId, n.subjectId,
        n.status, n.standard, n.dueAt, n.link, n.createdAt],
    );
  }

  /** Newest first, after `before` (the last row of the previous page). */
  async page(owner: NotificationOwner, { limit, before, unreadOnly }: { limit: number; before?: InboxPosition; unreadOnly: boolean }): Promise<InAppNotification[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM in_app_notification
       WHERE ${ownerFilter(owner)} AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) AND (NOT $4 OR read_at IS NULL)
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [NotificationOwner.column(owner), before?.createdAt ?? null, before?.id ?? null, unreadOnly, limit],
    );
    return rows.map(fromRow);
  }

  async unreadCount(owner: NotificationOwner): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS unread FROM in_app_notification WHERE ${ownerFilter(owner)} AND read_at IS NULL`,
      [NotificationOwner.column(owner)],
    );
    return row.unread as number;
  }

  async find(owner: NotificationOwner, id: string): Promise<InAppNotification | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM in_app_notification WHERE ${ownerFilter(owner)} AND id = $2`, [
      NotificationOwner.column(owner),
      id,
    ]);
    return rows[0] && fromRow(rows[0]);
  }

  /** Marks one read (a second time keeps the first read time); undefined when it is not the owner's. */
  async markRead(owner: NotificationOwner, id: string, at: Date): Promise<InAppNotification | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE in_app_notification SET read_at = coalesce(read_at, $3) WHERE ${ownerFilter(owner)} AND id = $2 RETURNING *`,
      [NotificationOwner.column(owner), id, at],
    )) as [Row[], number];
    return rows[0] && fromRow(rows[0]);
  }

  /** Marks read every unread notification up to and including `upTo` (all without it); returns how many. */
  async markAllRead(owner: NotificationOwner, upTo: InboxPosition | undefined, at: Date): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE in_app_notification SET read_at = $4
       WHERE ${ownerFilter(owner)} AND read_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) <= ($2, $3::uuid))`,
      [NotificationOwner.column(owner), upTo?.createdAt ?? null, upTo?.id ?? null, at],
    )) as [unknown, number];
    return affected;
  }
}
