import { AckPolicy, connect, ConsumerConfig, DeliverPolicy, JsMsg, NatsConnection } from 'nats';
import { EventEnvelope, PartnerFeed, ReferralEventPayload } from '@nwd/contracts';
import { NatsNames } from '@nwd/messaging';
import { natsUrl, pollUntil } from '@nwd/testing';

export interface FeedMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  /** When the stream stored it (server time). */
  storedAt: Date;
  envelope: EventEnvelope<ReferralEventPayload>;
}

/**
 * An organization reading its feed as a partner does: a plain JetStream durable pull consumer
 * named after one of its slots, filtered to `partner.<its id>.>` (prefixed for the test's network).
 */
export class PartnerFeedReader {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    readonly organizationId: string,
    readonly durable: string,
  ) {}

  static async open(
    prefix: string,
    organizationId: string,
    { slot = 1, start }: { slot?: number; start?: Partial<Pick<ConsumerConfig, 'deliver_policy' | 'opt_start_seq' | 'opt_start_time'>> } = {},
  ): Promise<PartnerFeedReader> {
    const nc = await connect({ servers: natsUrl().split(',') });
    const names = new NatsNames(prefix);
    const durable = names.durable(PartnerFeed.durable(organizationId, slot));
    const jsm = await nc.jetstreamManager();
    const stream = names.stream(PartnerFeed.stream);
    await pollUntil(() => jsm.streams.info(stream).then(() => true, () => false), Boolean, { timeoutMs: 20_000, what: `stream ${stream}` });
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.subject(PartnerFeed.filter(organizationId)),
      ...start,
    });
    return new PartnerFeedReader(nc, names, organizationId, durable);
  }

  get stream(): string {
    return this.names.stream(PartnerFeed.stream);
  }

  /** Fetches and acknowledges what is waiting, up to `max`. */
  async next(max = 256, expiresMs = 1000): Promise<FeedMessage[]> {
    const consumer = await this.nc.jetstream().consumers.get(this.stream, this.durable);
    const batch = await consumer.fetch({ max_messages: max, expires: expiresMs });
    const messages: FeedMessage[] = [];
    for await (const message of batch) {
      messages.push(this.read(message));
      message.ack();
    }
    return messages;
  }

  /** Reads until `expected` messages have arrived (more may come with them). */
  async collect(expected: number, timeoutMs = 30_000): Promise<FeedMessage[]> {
    const all: FeedMessage[] = [];
    await pollUntil(
      async () => {
        all.push(...(await this.next()));
        return all.length;
      },
      (n) => n >= expected,
      { timeoutMs, intervalMs: 100, what: `${expected} messages in the feed of ${this.organizationId}` },
    );
    return all;
  }

  async pending(): Promise<number> {
    const info = await (await this.nc.jetstreamManager()).consumers.info(this.stream, this.durable);
    return info.num_pending + info.num_ack_pending;
  }

  async close(): Promise<void> {
    await this.nc.close();
  }

  private read(message: JsMsg): FeedMessage {
    return {
      seq: message.seq,
      subject: this.names.unprefixed(message.subject),
      msgId: message.headers?.get('Nats-Msg-Id') || undefined,
      storedAt: new Date(Math.floor(message.info.timestampNanos / 1e6)),
      envelope: message.json<EventEnvelope<ReferralEventPayload>>(),
    };
  }
}
