import { Injectable, Logger } from '@nestjs/common';
import { ConsumerInfo } from 'nats';
import { Clock } from '@nwd/clock';
import { PARTNER_STREAM } from '@nwd/contracts';
import { PeriodicTask } from '@nwd/http';
import { NatsClient } from '@nwd/messaging';
import { NotificationsConfig } from '../notifications.config';

/** A push consumer delivers to a subject of its creator's choosing, which no permission checks. */
export function isPushConsumer(consumer: Pick<ConsumerInfo, 'config'>): boolean {
  return Boolean(consumer.config.deliver_subject);
}

/**
 * Deletes push consumers on PARTNER. A partner's credentials let it create only its own durables
 * with a filter inside its own feed, but the server delivers a push consumer's messages to any
 * subject of the account with a listener (a service's requests or core listeners), checked
 * against nobody's permissions. Partners read their feed by fetching (pull consumers).
 */
@Injectable()
export class PartnerPushConsumerSweep extends PeriodicTask {
  private readonly log = new Logger(PartnerPushConsumerSweep.name);

  constructor(
    private readonly nats: NatsClient,
    config: NotificationsConfig,
    clock: Clock,
  ) {
    super(clock, config.NWD_PARTNER_PUSH_CONSUMER_SWEEP_SECONDS);
  }

  /** Returns the names of the consumers deleted. */
  async run(): Promise<string[]> {
    const jsm = await this.nats.jetstreamManager();
    const stream = this.nats.stream(PARTNER_STREAM.name);
    const push: string[] = [];
    try {
      for await (const consumer of jsm.consumers.list(stream)) if (isPushConsumer(consumer)) push.push(consumer.name);
    } catch (error) {
      // Not provisioned yet: nothing to sweep.
      if (/stream not found/i.test((error as Error).message)) return [];
      throw error;
    }
    for (const name of push) {
      await jsm.consumers.delete(stream, name);
      this.log.warn({ msg: 'deleted a push consumer on PARTNER', consumer: name });
    }
    return push;
  }
}
