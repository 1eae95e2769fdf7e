import { Injectable, Logger } from '@nestjs/common';
import { asSystem } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { NotificationsConfig } from '../notifications.config';
import { decideOnMailFailure } from './mail-retry';
import { MailTransport } from './mail-transport';
import { OutgoingMailRepository } from './outgoing-mail.repository';

/**
 * Sends the queued mail that is due, on every replica (the queue's claims keep them apart). A failed
 * send is retried from the row's own `not_before` after the backoff, never from a timer in memory.
 */
@Injectable()
export class MailDispatcher extends PeriodicTask {
  private readonly log = new Logger(MailDispatcher.name);

  constructor(
    clock: Clock,
    private readonly config: NotificationsConfig,
    private readonly queue: OutgoingMailRepository,
    private readonly transport: MailTransport,
  ) {
    super(clock, config.NWD_MAIL_SEND_INTERVAL_SECONDS);
  }

  /** Sends what is due at `now`; returns how many were sent. */
  async run(now: Date): Promise<number> {
    const lease = new Date(now.getTime() + this.config.NWD_MAIL_LEASE_SECONDS * 1000);
    const claimed = await this.queue.claimDue(asSystem, now, lease, this.config.NWD_MAIL_BATCH_SIZE);
    let sent = 0;
    for (const mail of claimed) {
      try {
        await this.transport.send({ to: mail.address, subject: mail.subject, text: mail.body });
        await this.queue.markSent(asSystem, mail.id, now);
        sent++;
      } catch (error) {
        const reason = (error as Error).message ?? String(error);
        const decision = decideOnMailFailure(mail.attempts, now, this.config.mailRetryPolicy());
        if (decision.action === 'retry') await this.queue.retryAt(asSystem, mail.id, decision.at, reason);
        else await this.queue.giveUp(asSystem, mail.id, reason);
        this.log.warn({ msg: 'mail not sent', mailId: mail.id, attempt: mail.attempts, decision: decision.action, err: reason });
      }
    }
    return sent;
  }
}
