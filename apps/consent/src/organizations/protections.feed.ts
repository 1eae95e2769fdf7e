import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumerMessages } from 'nats';
import { EventEnvelope, IdentityEvents, STREAMS, validateMessage } from '@nwd/contracts';
import { NatsClient, StreamProvisioner } from '@nwd/messaging';
import { OrganizationRegistry } from './organization-registry';

const decoder = new TextDecoder();
const CATCH_UP_TIMEOUT_MS = 10_000;

/**
 * Follows organizations' protections on the IDENTITY stream from its start, as the deny-list
 * does: every instance needs every change, and boot waits for the replay so that no decision is
 * made on a DV or Part 2 program before its protections are known.
 */
@Injectable()
export class ProtectionsFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProtectionsFeed.name);
  private messages?: ConsumerMessages;

  constructor(
    private readonly registry: OrganizationRegistry,
    private readonly nats: NatsClient,
    private readonly provisioner: StreamProvisioner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.provisioner.ensure([STREAMS.IDENTITY]);
    if (await this.provisioner.exists(STREAMS.IDENTITY)) return this.follow();
    void this.provisioner.whenAvailable(STREAMS.IDENTITY).then(
      (available) => (available ? this.follow() : undefined),
      (error) => this.logger.error({ msg: 'protections feed could not start', err: String(error) }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.messages?.stop();
  }

  private async follow(): Promise<void> {
    const stream = this.nats.stream(STREAMS.IDENTITY.name);
    const lastSeq = (await (await this.nats.jetstreamManager()).streams.info(stream)).state.last_seq;
    this.messages = await (await this.nats.js.consumers.get(stream)).consume();
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (lastSeq === 0) caughtUp();
    void (async () => {
      for await (const message of this.messages!) {
        this.apply(message.data, message.seq);
        if (message.seq >= lastSeq) caughtUp();
      }
    })();
    await Promise.race([ready, new Promise<void>((resolve) => setTimeout(resolve, CATCH_UP_TIMEOUT_MS).unref())]);
  }

  private apply(data: Uint8Array, seq: number): void {
    try {
      const envelope = JSON.parse(decoder.decode(data)) as EventEnvelope<object>;
      const contract = IdentityEvents.organizationProtectionsChanged;
      if (envelope.type !== contract.subject) return;
      const event = validateMessage(contract.subject, contract.payload, envelope.data);
      this.registry.setProtections(event.organizationId, event.protections);
    } catch (error) {
      this.logger.error({ msg: 'unreadable identity event', seq, err: String(error) });
    }
  }
}
