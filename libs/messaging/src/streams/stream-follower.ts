import { Logger } from '@nestjs/common';
import { ConsumerMessages } from 'nats';
import { EventEnvelope, StreamDefinition } from '@nwd/contracts';
import { NatsClient } from '../nats/nats-client';
import { StreamProvisioner } from './stream-provisioner';

const decoder = new TextDecoder();
/** How long boot waits for the replay before serving anyway (the follower keeps catching up). */
const CATCH_UP_TIMEOUT_MS = 10_000;

/**
 * Replays a stream from its start into memory and keeps following it, for state every instance
 * needs whole (the deny-list, organizations' protections): an ordered consumer, not a durable one.
 * `start()` resolves once the replay reaches the stream's end as it was then (or after 10 s). A
 * stream whose owner has never booted holds nothing yet: it is followed once it exists.
 */
export class StreamFollower {
  private messages?: ConsumerMessages;

  constructor(
    private readonly nats: NatsClient,
    private readonly provisioner: StreamProvisioner,
    private readonly definition: StreamDefinition,
    private readonly apply: (envelope: EventEnvelope<object>) => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    // Only the owner creates its stream; elsewhere this leaves it to the owner.
    await this.provisioner.ensure([this.definition]);
    if (await this.provisioner.exists(this.definition)) return this.follow();
    void this.provisioner.whenAvailable(this.definition).then(
      (available) => (available ? this.follow() : undefined),
      (error) => this.logger.error({ msg: `${this.definition.name} feed could not start`, err: String(error) }),
    );
  }

  stop(): void {
    this.messages?.stop();
  }

  private async follow(): Promise<void> {
    const stream = this.nats.stream(this.definition.name);
    const lastSeq = (await (await this.nats.jetstreamManager()).streams.info(stream)).state.last_seq;
    this.messages = await (await this.nats.js.consumers.get(stream)).consume();
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (lastSeq === 0) caughtUp();
    void (async () => {
      for await (const message of this.messages!) {
        try {
          this.apply(JSON.parse(decoder.decode(message.data)) as EventEnvelope<object>);
        } catch (error) {
          // A malformed event must not stop the feed: later ones matter more than this one.
          this.logger.error({ msg: `unreadable ${this.definition.name} event`, seq: message.seq, err: String(error) });
        }
        if (message.seq >= lastSeq) caughtUp();
      }
    })();
    await Promise.race([ready, new Promise<void>((resolve) => setTimeout(resolve, CATCH_UP_TIMEOUT_MS).unref())]);
  }
}
