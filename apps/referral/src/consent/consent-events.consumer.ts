import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientMerged, ConsentEvents, ConsentExpired, ConsentRevoked, EventEnvelope, ReferralEvents } from '@nwd/contracts';
import { OnEvent, Outbox } from '@nwd/messaging';
import { OPEN_REFERRAL_STATUSES } from '../loop/referral-lifecycle';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralFactory } from '../referrals/referral.factory';

/**
 * What the consent service's events mean for referrals. Reads never rely on these (each read asks
 * the consent service), but the receiver must be told it lost access: each open referral whose
 * receiver relied on a revoked or expired consent gets `referral.v1.consent-revoked`, through the
 * outbox in the consumer's inbox-guarded transaction, and stops counting that consent so a later
 * expiry of the same one is not news again. A merge of duplicate clients moves referrals to the survivor.
 */
@Injectable()
export class ConsentEventsConsumer {
  constructor(private readonly outbox: Outbox) {}

  @OnEvent(ConsentEvents.revoked, { durable: 'referral-consent-revoked' })
  async revoked(event: EventEnvelope<ConsentRevoked>, manager: EntityManager): Promise<void> {
    const { consentId, clientId, organizationId, occurredAt } = event.data;
    await this.lostAccess(manager, { consentId, clientId, receivingOrganizationId: organizationId, at: new Date(occurredAt) });
  }

  @OnEvent(ConsentEvents.expired, { durable: 'referral-consent-expired' })
  async expired(event: EventEnvelope<ConsentExpired>, manager: EntityManager): Promise<void> {
    const { consentId, clientId, occurredAt } = event.data;
    await this.lostAccess(manager, { consentId, clientId, at: new Date(occurredAt) });
  }

  @OnEvent(ConsentEvents.clientMerged, { durable: 'referral-client-merged' })
  async clientMerged(event: EventEnvelope<ClientMerged>, manager: EntityManager): Promise<void> {
    const { mergedClientId, survivingClientId } = event.data;
    await manager.query(`UPDATE referral SET client_id = $2 WHERE client_id = $1`, [mergedClientId, survivingClientId]);
  }

  private async lostAccess(
    manager: EntityManager,
    { consentId, clientId, receivingOrganizationId, at }: { consentId: string; clientId: string; receivingOrganizationId?: string; at: Date },
  ): Promise<void> {
    // A new version, so partners ordering a referral's events by version see this one after what came before.
    const [rows] = (await manager.query(
      `UPDATE referral SET consent_ids = array_remove(consent_ids, $1), version = version + 1, updated_at = greatest(updated_at, $4)
       WHERE consent_ids @> ARRAY[$1]::uuid[] AND client_id = $2 AND status = ANY($3::text[])
         AND ($5::uuid IS NULL OR receiving_organization_id = $5)
       RETURNING id, sender_organization_id AS "senderOrganizationId", receiving_organization_id AS "receivingOrganizationId",
         status, needs, outcome, version`,
      [consentId, clientId, OPEN_REFERRAL_STATUSES, at, receivingOrganizationId ?? null],
    )) as [Referral[], number];
    if (!rows.length) return;
    await this.outbox.appendMany(
      manager,
      ReferralEvents.consentRevoked,
      rows.map((referral) => ReferralFactory.payload(referral, at)),
    );
  }
}
