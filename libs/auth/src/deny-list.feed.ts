import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumerMessages, JsMsg } from 'nats';
import { EventContract, EventEnvelope, IdentityEvents, STREAMS, validateMessage } from '@nwd/contracts';
import { NatsClient, StreamProvisioner } from '@nwd/messaging';
import { DenyList } from './deny-list';

const decoder = new TextDecoder();
/** How long boot waits for the replay before serving anyway (the feed keeps catching up). */
const CATCH_UP_TIMEOUT_MS = 10_000;

/**
 * Keeps this process's DenyList in step with the IDENTITY stream. Every instance needs every
 * event (not a share of them), so this is an ordered consumer replayed from the start at boot,
 * not a durable one; boot waits until the replay reaches the stream's end.
 */
@Injectable()
export class DenyListFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DenyListFeed.name);
  private messages?: ConsumerMessages;

  constructor(
    private readonly denyList: DenyList,
    private readonly nats: NatsClient,
    private readonly provisioner: StreamProvisioner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Only the directory creates IDENTITY; elsewhere this leaves it to the directory.
    await this.provisioner.ensure([STREAMS.IDENTITY]);
    if (await this.provisioner.exists(STREAMS.IDENTITY)) return this.follow();
    // The directory has never booted, so nothing was ever revoked: serve, and follow once it exists.
    void this.provisioner.whenAvailable(STREAMS.IDENTITY).then(
      (available) => (available ? this.follow() : undefined),
      (error) => this.logger.error({ msg: 'identity feed could not start', err: String(error) }),
    );
  }

  private async follow(): Promise<void> {
    const stream = this.nats.stream(STREAMS.IDENTITY.name);
    const jsm = await this.nats.jetstreamManager();
    const lastSeq = (await jsm.streams.info(stream)).state.last_seq;
    const consumer = await this.nats.js.consumers.get(stream);
    this.messages = await consumer.consume();
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (lastSeq === 0) caughtUp();
    void (async () => {
      for await (const message of this.messages!) {
        this.apply(message);
        if (message.seq >= lastSeq) caughtUp();
      }
    })();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CATCH_UP_TIMEOUT_MS).unref());
    await Promise.race([ready, timeout]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.messages?.stop();
  }

  private readonly appliers = new Map([
    applier(IdentityEvents.clientRevoked, (e) => this.denyList.revokeClient(e.clientId)),
    applier(IdentityEvents.clientRotated, (e) => this.denyList.rotateClient(e.clientId, new Date(e.rotatedAt))),
    applier(IdentityEvents.organizationSuspended, (e) => this.denyList.suspendOrganization(e.organizationId)),
    applier(IdentityEvents.organizationReactivated, (e) => this.denyList.reactivateOrganization(e.organizationId)),
  ]);

  private apply(message: JsMsg): void {
    try {
      const envelope = JSON.parse(decoder.decode(message.data)) as EventEnvelope<object>;
      this.appliers.get(envelope.type)?.(envelope.data);
    } catch (error) {
      // A malformed event must not stop the feed: later revocations matter more than this one.
      this.logger.error({ msg: 'unreadable identity event', seq: message.seq, err: String(error) });
    }
  }
}

function applier<P extends object>(contract: EventContract<P>, apply: (event: P) => void): [string, (data: unknown) => void] {
  return [contract.subject, (data) => apply(validateMessage(contract.subject, contract.payload, data))];
}
