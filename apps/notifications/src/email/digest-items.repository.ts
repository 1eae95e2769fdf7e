import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { SystemAccess } from '@nwd/auth';
import type { ReferralFacts } from './mail-templates';

/** Events waiting for their subscription's next daily digest. */
@Injectable()
export class DigestItemsRepository {
  async add(_: SystemAccess, manager: EntityManager, item: { subscriptionId: string; eventId: string; facts: ReferralFacts; createdAt: Date }): Promise<void> {
    await manager.query(
      `INSERT INTO digest_item (id, subscription_id, event_id, event_type, facts, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [uuidv7(), item.subscriptionId, item.eventId, item.facts.eventType, JSON.stringify(item.facts), item.createdAt],
    );
  }

  /** Takes a subscription's waiting events out of the queue, oldest first (inside the digest's transaction). */
  async take(_: SystemAccess, manager: EntityManager, subscriptionId: string): Promise<ReferralFacts[]> {
    const [rows] = (await manager.query(
      `DELETE FROM digest_item WHERE subscription_id = $1 RETURNING facts, created_at, id`,
      [subscriptionId],
    )) as [{ facts: ReferralFacts; created_at: Date; id: string }[], number];
    return rows
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1))
      .map((row) => row.facts);
  }
}
