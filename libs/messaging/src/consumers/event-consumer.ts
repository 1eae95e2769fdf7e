import { Logger } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, headers as natsHeaders, JsMsg, nanos } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { ContractViolation, EventEnvelope, StreamDefinition, validateMessage } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MetricsRegistry, RequestContext } from '@nwd/observability';
import { NatsClient } from '../nats/nats-client';
import { OnEventMetadata } from '../decorators';
import { decideOnFailure, DEFAULT_MAX_DELIVER } from './retry-policy';

export type EventHandlerFn = (event: EventEnvelope<object>, manager: EntityManager) => Promise<void>;

const decoder = new TextDecoder();

export const DLQ_HEADERS = {
  error: 'nwd-error',
  errorCode: 'nwd-error-code',
  consumer: 'nwd-consumer',
  subject: 'nwd-original-subject',
  deliveries: 'nwd-deliveries',
} as const;

/**
 * One durable pull consumer and its handler. Effects are exactly-once: the inbox row and the
 * handler's writes commit together, and the ack follows the commit; a redelivery of something
 * already handled finds its inbox row and is only acknowledged.
 */
export class EventConsumer {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  readonly durable: string;
  private readonly maxDeliver: number;
  private readonly concurrency: number;

  constructor(
    private readonly metadata: OnEventMetadata,
    private readonly handler: EventHandlerFn,
    private readonly nats: NatsClient,
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsRegistry,
  ) {
    this.durable = nats.durable(metadata.options.durable);
    this.maxDeliver = metadata.options.maxDeliver ?? DEFAULT_MAX_DELIVER;
    this.concurrency = metadata.options.concurrency ?? 1;
    this.logger = new Logger(`EventConsumer:${metadata.options.durable}`);
  }

  get streamDefinition(): StreamDefinition {
    return this.metadata.contract.stream;
  }

  get stream(): string {
    return this.nats.stream(this.metadata.contract.stream.name);
  }

  /** Creates or updates the durable consumer (idempotent). */
  async provision(): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    const config = {
      durable_name: this.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.nats.subject(this.metadata.contract.subject),
      ack_wait: nanos(this.metadata.options.ackWaitMs ?? 30_000),
      // A backstop above our own limit: we park the message on the DLQ at maxDeliver ourselves.
      max_deliver: this.maxDeliver + 1,
      max_ack_pending: Math.max(100, this.concurrency * 10),
    };
    try {
      await jsm.consumers.info(this.stream, this.durable);
      await jsm.consumers.update(this.stream, this.durable, config);
    } catch (error) {
      if (!/consumer not found/i.test(String(error))) throw error;
      await jsm.consumers.add(this.stream, config).catch(async (addError) => {
        if (!/already (exists|in use)/i.test(String(addError))) throw addError;
      });
    }
  }

  async start(): Promise<void> {
    const consumer = await this.nats.js.consumers.get(this.stream, this.durable);
    this.messages = await consumer.consume({ max_messages: Math.max(16, this.concurrency * 4) });
    this.loop = this.run(this.messages);
  }

  async stop(): Promise<void> {
    this.messages?.stop();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  async pending(): Promise<number> {
    const jsm = await this.nats.jetstreamManager();
    const info = await jsm.consumers.info(this.stream, this.durable);
    return info.num_pending + info.num_ack_pending;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      const task = this.handle(message).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
      if (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    const delivery = message.info.redeliveryCount;
    const consumerLabel = this.metadata.options.durable;
    let envelope: EventEnvelope<object> | undefined;
    try {
      envelope = this.parse(message);
      const event = envelope;
      const handled = await RequestContext.run(event.requestId, () =>
        this.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO inbox (consumer, event_id, subject) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING RETURNING 1`,
            [consumerLabel, event.id, event.type],
          );
          if (inserted.length === 0) return false;
          await this.handler(event, manager);
          return true;
        }),
      );
      message.ack();
      this.metrics.consumerHandled.labels(consumerLabel, handled ? 'handled' : 'duplicate').inc();
    } catch (error) {
      const decision = decideOnFailure(error, delivery, this.maxDeliver, this.metadata.options.backoffMs);
      if (decision.action === 'retry') {
        this.logger.warn({ msg: 'handler failed; will retry', eventId: envelope?.id, delivery, err: String(error) });
        this.metrics.consumerHandled.labels(consumerLabel, 'retried').inc();
        message.nak(decision.delayMs);
        return;
      }
      try {
        await this.deadLetter(message, error, envelope?.id);
        message.term();
        this.metrics.deadLettered.labels(consumerLabel).inc();
        this.logger.error({ msg: 'message dead-lettered', eventId: envelope?.id, delivery, reason: decision.reason, err: String(error) });
      } catch (dlqError) {
        // Could not park it (NATS trouble): leave it to be redelivered rather than lose it.
        this.logger.warn({ msg: 'dead-lettering failed; will retry', err: String(dlqError) });
        message.nak(1000);
      }
    }
  }

  private parse(message: JsMsg): EventEnvelope<object> {
    const subject = this.metadata.contract.subject;
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(message.data));
    } catch {
      throw new ContractViolation(subject, [{ field: '', messages: ['body is not JSON'] }]);
    }
    const envelope = raw as EventEnvelope<object>;
    if (typeof envelope?.id !== 'string' || typeof envelope.type !== 'string' || typeof envelope.data !== 'object') {
      throw new ContractViolation(subject, [{ field: '', messages: ['not an event envelope'] }]);
    }
    return { ...envelope, data: validateMessage(subject, this.metadata.contract.payload, envelope.data) };
  }

  private async deadLetter(message: JsMsg, error: unknown, eventId: string | undefined): Promise<void> {
    const headers = natsHeaders();
    headers.set(DLQ_HEADERS.error, String((error as Error)?.message ?? error).slice(0, 1024));
    headers.set(DLQ_HEADERS.errorCode, error instanceof DomainError ? error.code : error instanceof ContractViolation ? 'contract-violation' : 'handler-error');
    headers.set(DLQ_HEADERS.consumer, this.metadata.options.durable);
    headers.set(DLQ_HEADERS.subject, this.nats.unprefixed(message.subject));
    headers.set(DLQ_HEADERS.deliveries, String(message.info.redeliveryCount));
    await this.nats.js.publish(this.nats.subject(`dlq.${this.metadata.options.durable}`), message.data, {
      headers,
      msgID: `${this.metadata.options.durable}:${eventId ?? message.seq}`,
    });
  }
}
