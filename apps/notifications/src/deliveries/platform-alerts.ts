import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { asSystem } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { platformAlertMail } from '../email/mail-templates';
import { OutgoingMailRepository } from '../email/outgoing-mail.repository';
import { InboxRepository } from '../inbox/inbox.repository';
import { NotificationOwner } from '../recipients/notification-owner';
import { quietHoursRelease } from '../subscriptions/local-time';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { PlatformAlert } from './platform-alert';

/**
 * Tells an organization's admins about its own setup (a webhook endpoint disabled after persistent
 * failure, …): always in its inbox, and by mail to every address it subscribed, whatever their
 * event types (quiet hours still hold; an alert never waits for a digest). Pass the caller's
 * transaction so the alert commits with the change it reports.
 */
@Injectable()
export class PlatformAlerts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly mail: OutgoingMailRepository,
    private readonly inbox: InboxRepository,
    private readonly clock: Clock,
  ) {}

  async raise(organizationId: string, alert: PlatformAlert, manager?: EntityManager): Promise<void> {
    if (!manager) return this.dataSource.transaction((m) => this.raise(organizationId, alert, m));
    const owner = NotificationOwner.organization(organizationId);
    const now = this.clock.now();
    await this.inbox.add(asSystem, manager, `alert:${alert.dedupeKey}:${organizationId}`, {
      id: uuidv7(),
      owner,
      userId: null,
      kind: 'platform-alert',
      eventType: null,
      purpose: null,
      alert: alert.code,
      referralId: null,
      subjectId: alert.subjectId ?? null,
      status: null,
      standard: null,
      dueAt: null,
      link: alert.link ?? null,
      createdAt: now,
      readAt: null,
    });
    for (const subscription of await this.subscriptions.emailOf(asSystem, manager, owner)) {
      const rendered = platformAlertMail(alert, subscription.language);
      await this.mail.enqueue(asSystem, manager, {
        dedupeKey: `alert:${alert.dedupeKey}:${subscription.id}`,
        subscriptionId: subscription.id,
        organizationId,
        address: subscription.address!,
        subject: rendered.subject,
        body: rendered.text,
        notBefore: quietHoursRelease(now, subscription.quietHours, subscription.timeZone),
        createdAt: now,
      });
    }
  }
}
