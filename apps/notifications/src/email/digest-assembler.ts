import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asSystem } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { NotificationsConfig } from '../notifications.config';
import { nextDailyAt } from '../subscriptions/local-time';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { DigestItemsRepository } from './digest-items.repository';
import { digestMail } from './mail-templates';
import { OutgoingMailRepository } from './outgoing-mail.repository';
import { ReferralLink } from './referral-link';

const SUBSCRIPTIONS_PER_RUN = 100;

/**
 * Turns each digest subscription's waiting events into one mail when its daily time comes (in its
 * own zone), and reckons the next one. Taking the events, queueing the mail and moving the
 * schedule commit together, on whichever replica locked the subscription first.
 */
@Injectable()
export class DigestAssembler extends PeriodicTask {
  constructor(
    clock: Clock,
    private readonly config: NotificationsConfig,
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly items: DigestItemsRepository,
    private readonly queue: OutgoingMailRepository,
    private readonly links: ReferralLink,
  ) {
    super(clock, config.NWD_DIGEST_INTERVAL_SECONDS);
  }

  /** Assembles the digests due at `now`; returns how many mails were queued. */
  async run(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let queued = 0;
      for (const subscription of await this.subscriptions.lockDueDigests(asSystem, manager, now, SUBSCRIPTIONS_PER_RUN)) {
        const facts = await this.items.take(asSystem, manager, subscription.id);
        if (facts.length && subscription.address) {
          const mail = digestMail(
            facts.map((f) => ({ facts: f, link: this.links.to(f.referralId) })),
            subscription.language,
            { timeZone: subscription.timeZone, at: subscription.nextDigestAt ?? now },
          );
          await this.queue.enqueue(asSystem, manager, {
            dedupeKey: `digest:${subscription.id}:${(subscription.nextDigestAt ?? now).toISOString()}`,
            subscriptionId: subscription.id,
            organizationId: subscription.owner.kind === 'organization' ? subscription.owner.organizationId : null,
            address: subscription.address,
            subject: mail.subject,
            body: mail.text,
            notBefore: now,
            createdAt: now,
          });
          queued++;
        }
        const time = subscription.digestTime ?? this.config.NWD_DIGEST_TIME;
        await this.subscriptions.scheduleNextDigest(asSystem, manager, subscription.id, nextDailyAt(now, time, subscription.timeZone));
      }
      return queued;
    });
  }
}
