import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { asSystem } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import type { EventEnvelope, PartnerEventType, ReferralEventPayload } from '@nwd/contracts';
import { DigestItemsRepository } from '../email/digest-items.repository';
import { referralFacts, referralMail } from '../email/mail-templates';
import { OutgoingMailRepository } from '../email/outgoing-mail.repository';
import { ReferralLink } from '../email/referral-link';
import { InboxRepository } from '../inbox/inbox.repository';
import type { AudiencePurpose } from '../audience/referral-audience.rules';
import { NotificationOwner } from '../recipients/notification-owner';
import { quietHoursRelease } from '../subscriptions/local-time';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';

/** Who is told of an event, and why (the audience module's purpose: notice, reminder or escalation). */
export interface Recipient {
  owner: NotificationOwner;
  purpose: AudiencePurpose;
}

function ownerKey(owner: NotificationOwner): string {
  return owner.kind === 'organization' ? owner.organizationId : 'network';
}

/**
 * Turns one referral event into what its audience subscribed to, inside the consumer's
 * transaction: a queued mail per email subscription (held until its quiet hours end), a digest
 * entry instead where the subscription wants a daily digest, and one inbox row per owner with an
 * in-app subscription. Dedupe keys make a second run of the same event write nothing.
 */
@Injectable()
export class NotificationDelivery {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly mail: OutgoingMailRepository,
    private readonly digests: DigestItemsRepository,
    private readonly inbox: InboxRepository,
    private readonly links: ReferralLink,
    private readonly clock: Clock,
  ) {}

  async deliver(manager: EntityManager, event: EventEnvelope<ReferralEventPayload>, recipients: Recipient[]): Promise<void> {
    if (!recipients.length) return;
    const eventType = event.type as PartnerEventType;
    const now = this.clock.now();
    const purposes = new Map(recipients.map((r) => [ownerKey(r.owner), r.purpose]));
    const link = this.links.to(event.data.referralId);
    const inboxOwners = new Map<string, NotificationOwner>();
    const owners = recipients.map((r) => r.owner);
    for (const subscription of await this.subscriptions.subscribedTo(asSystem, manager, owners, eventType)) {
      const facts = referralFacts(eventType, event.data, purposes.get(ownerKey(subscription.owner)) ?? 'notice');
      if (subscription.channel === 'in-app') {
        inboxOwners.set(ownerKey(subscription.owner), subscription.owner);
        continue;
      }
      if (subscription.digest) {
        await this.digests.add(asSystem, manager, { subscriptionId: subscription.id, eventId: event.id, facts, createdAt: now });
        continue;
      }
      const rendered = referralMail(facts, subscription.language, { link, timeZone: subscription.timeZone });
      await this.mail.enqueue(asSystem, manager, {
        dedupeKey: `event:${event.id}:${subscription.id}`,
        subscriptionId: subscription.id,
        organizationId: NotificationOwner.column(subscription.owner),
        address: subscription.address!,
        subject: rendered.subject,
        body: rendered.text,
        notBefore: quietHoursRelease(now, subscription.quietHours, subscription.timeZone),
        createdAt: now,
      });
    }
    for (const [key, owner] of inboxOwners) {
      const facts = referralFacts(eventType, event.data, purposes.get(key) ?? 'notice');
      await this.inbox.add(asSystem, manager, `event:${event.id}:${key}`, {
        id: uuidv7(),
        owner,
        userId: null,
        kind: 'referral-event',
        eventType,
        purpose: facts.purpose,
        alert: null,
        referralId: facts.referralId,
        subjectId: null,
        status: facts.status,
        standard: facts.standard ?? null,
        dueAt: facts.dueAt ? new Date(facts.dueAt) : null,
        link,
        createdAt: now,
        readAt: null,
      });
    }
  }
}
