import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BaseConfig } from '@nwd/config';
import { RequestContract, resolveStream, STREAMS, StreamDefinition } from '@nwd/contracts';
import { MetricsRegistry } from '@nwd/observability';
import { EventConsumer, EventHandlerFn } from './consumers/event-consumer';
import { ON_EVENT, ON_REQUEST, OnEventMetadata } from './decorators';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats/nats-client';
import { OutboxRelay } from './outbox/outbox-relay';
import { RequestHandlerFn, RequestResponder } from './requests/request-reply';
import { StreamProvisioner } from './streams/stream-provisioner';
import { undeclaredMessaging } from './credentials/permissions';

/**
 * Starts a service's messaging at boot — streams, the outbox relay, the @OnEvent consumers and
 * @OnRequest responders found on its providers — and stops it before the NATS connection drains.
 */
@Injectable()
export class MessagingHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingHost.name);
  readonly consumers: EventConsumer[] = [];
  private readonly responders: RequestResponder[] = [];
  /** Consumers waiting for another service's stream to exist. */
  private readonly waiting: Promise<void>[] = [];
  readonly relay: OutboxRelay;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly config: BaseConfig,
    private readonly nats: NatsClient,
    private readonly dataSource: DataSource,
    private readonly provisioner: StreamProvisioner,
    private readonly metrics: MetricsRegistry,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {
    this.relay = new OutboxRelay({
      databaseUrl: config.DATABASE_URL,
      js: () => nats.js,
      subject: (s) => nats.subject(s),
      logger: this.logger,
      onPublished: (count) => metrics.outboxPublished.inc(count),
    });
    metrics.outboxBacklogProbe = async () => {
      const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
      return row.n as number;
    };
    metrics.consumerLagProbe = async () => {
      const lag: Record<string, number> = {};
      for (const consumer of this.consumers) lag[consumer.durable] = await consumer.pending();
      return lag;
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discover();
    this.checkDeclared();
    const streams = new Map<string, StreamDefinition>();
    // Parking needs the DLQ only where there are consumers (and only they may create it).
    const parking = this.consumers.length ? [STREAMS.DLQ] : [];
    for (const stream of [...this.options.streams.map(resolveStream), ...parking]) streams.set(stream.name, stream);
    for (const consumer of this.consumers) streams.set(consumer.streamDefinition.name, consumer.streamDefinition);
    await this.provisioner.ensure([...streams.values()]);
    for (const consumer of this.consumers) {
      if (await this.provisioner.exists(consumer.streamDefinition)) await this.startConsumer(consumer);
      // Its owner has never booted: serve now, and start reading once the owner creates its stream.
      else this.waiting.push(this.startWhenAvailable(consumer));
    }
    for (const responder of this.responders) responder.start();
    if (this.config.NWD_OUTBOX_RELAY) this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.provisioner.stop();
    await Promise.all(this.waiting);
    await Promise.all(this.responders.map((r) => r.stop()));
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.relay.stop();
  }

  private async startConsumer(consumer: EventConsumer): Promise<void> {
    await consumer.provision();
    await consumer.start();
  }

  private async startWhenAvailable(consumer: EventConsumer): Promise<void> {
    try {
      if (await this.provisioner.whenAvailable(consumer.streamDefinition)) await this.startConsumer(consumer);
    } catch (error) {
      this.logger.error({ msg: 'consumer could not start', durable: consumer.durable, err: String(error) });
    }
  }

  /**
   * A network service's consumers and responders must be the ones libs/contracts declares for
   * it: its NATS credentials are generated from that declaration, so anything else would be
   * refused by the server later, far from the cause.
   */
  private checkDeclared(): void {
    const undeclared = undeclaredMessaging(
      this.config.serviceName,
      this.consumers.map((c) => ({ durable: c.label, subject: c.subject })),
      this.responders.map((r) => r.subject),
    );
    if (undeclared.length) {
      throw new Error(`${this.config.serviceName} runs ${undeclared.join(', ')}, not declared in NETWORK_MESSAGING (libs/contracts/src/ownership.ts)`);
    }
  }

  private discover(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[methodName] as (...args: unknown[]) => Promise<unknown>;
        const onEvent = this.reflector.get<OnEventMetadata | undefined>(ON_EVENT, method);
        if (onEvent) {
          const handler: EventHandlerFn = (event, manager) => method.call(instance, event, manager) as Promise<void>;
          this.consumers.push(new EventConsumer(onEvent, handler, this.nats, this.dataSource, this.metrics));
        }
        const onRequest = this.reflector.get<RequestContract<object, object> | undefined>(ON_REQUEST, method);
        if (onRequest) {
          const handler: RequestHandlerFn = (request) => method.call(instance, request) as Promise<object>;
          this.responders.push(new RequestResponder(onRequest, handler, this.nats, this.config.serviceName));
        }
      }
    }
    const durables = this.consumers.map((c) => c.durable);
    const repeated = durables.filter((d, i) => durables.indexOf(d) !== i);
    if (repeated.length) throw new Error(`Durable consumer names must be unique: ${repeated.join(', ')}`);
  }
}
