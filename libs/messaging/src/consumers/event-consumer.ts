import { Logger } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, headers as natsHeaders, JsMsg, nanos } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { ContractViolation, EventContract, EventEnvelope, isEventFamily, StreamDefinition, validateMessage } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MetricsRegistry, RequestContext } from '@nwd/observability';
import { NatsClient } from '../nats/nats-client';
import { OnEventMetadata } from '../decorators';
import { decideOnFailure, DEFAULT_MAX_DELIVER } from './retry-policy';

export type EventHandlerFn = (event: EventEnvelope<object>, manager: EntityManager) => Promise<void>;

const decoder = new TextDecoder();

/** Most events handled in one transaction. */
const MAX_BATCH = 128;

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
 * already handled finds its inbox row and is only acknowledged. Handlers see one event at a time,
 * in stream order, and must do their work through the `manager` they are given.
 */
export class EventConsumer {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private started = false;
  readonly durable: string;
  private readonly maxDeliver: number;

  constructor(
    private readonly metadata: OnEventMetadata,
    private readonly handler: EventHandlerFn,
    private readonly nats: NatsClient,
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsRegistry,
  ) {
    this.durable = nats.durable(metadata.options.durable);
    this.maxDeliver = metadata.options.maxDeliver ?? DEFAULT_MAX_DELIVER;
    this.logger = new Logger(`EventConsumer:${metadata.options.durable}`);
  }

  /** The durable's name as declared (without the prefix). */
  get label(): string {
    return this.metadata.options.durable;
  }

  get subject(): string {
    return this.metadata.contract.subject;
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
      max_ack_pending: MAX_BATCH * 8,
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
    this.messages = await consumer.consume({ max_messages: MAX_BATCH * 2 });
    this.started = true;
    this.loop = this.run(this.messages);
  }

  async stop(): Promise<void> {
    this.messages?.stop();
    await this.loop;
  }

  async pending(): Promise<number> {
    if (!this.started) return 0;
    const jsm = await this.nats.jetstreamManager();
    const info = await jsm.consumers.info(this.stream, this.durable);
    return info.num_pending + info.num_ack_pending;
  }

  /**
   * Messages that arrive while a batch is being handled wait in a queue and form the next batch:
   * one message at a time when the load is light (lowest latency), larger transactions when it is
   * heavy (throughput), always in stream order.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    const queue: JsMsg[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const worker = (async () => {
      for (;;) {
        if (!queue.length) {
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        await this.handleBatch(queue.splice(0, MAX_BATCH));
      }
    })();
    for await (const message of messages) {
      queue.push(message);
      wake?.();
    }
    ended = true;
    wake?.();
    await worker;
  }

  private async handleBatch(batch: JsMsg[]): Promise<void> {
    const parsed: { message: JsMsg; envelope: EventEnvelope<object> }[] = [];
    for (const message of batch) {
      try {
        parsed.push({ message, envelope: this.parse(message) });
      } catch (error) {
        await this.fail(message, error, undefined);
      }
    }
    if (!parsed.length) return;
    if (parsed.length > 1) {
      try {
        const handled = await this.transact(parsed.map((p) => p.envelope));
        for (const { message } of parsed) message.ack();
        this.count('handled', handled);
        this.count('duplicate', parsed.length - handled);
        return;
      } catch {
        // One of them failed: redo them one by one so only the failing message is retried or parked.
      }
    }
    for (const { message, envelope } of parsed) {
      try {
        const handled = await this.transact([envelope]);
        message.ack();
        this.count(handled ? 'handled' : 'duplicate', 1);
      } catch (error) {
        await this.fail(message, error, envelope.id);
      }
    }
  }

  /** Inbox rows and handler effects commit together; returns how many events were new. */
  private async transact(envelopes: EventEnvelope<object>[]): Promise<number> {
    const consumerLabel = this.metadata.options.durable;
    return this.dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO inbox (consumer, event_id, subject)
         SELECT $1, e.id, e.subject FROM unnest($2::uuid[], $3::text[]) AS e(id, subject)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumerLabel, envelopes.map((e) => e.id), envelopes.map((e) => e.type)],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      for (const envelope of envelopes) {
        if (!fresh.has(envelope.id)) continue;
        await RequestContext.run(envelope.requestId, () => this.handler(envelope, manager));
      }
      return fresh.size;
    });
  }

  private count(result: 'handled' | 'duplicate' | 'retried', n: number): void {
    if (n > 0) this.metrics.consumerHandled.labels(this.metadata.options.durable, result).inc(n);
  }

  private async fail(message: JsMsg, error: unknown, eventId: string | undefined): Promise<void> {
    const delivery = message.info.redeliveryCount;
    const decision = decideOnFailure(error, delivery, this.maxDeliver, this.metadata.options.backoffMs);
    if (decision.action === 'retry') {
      this.logger.warn({ msg: 'handler failed; will retry', eventId, delivery, err: String(error) });
      this.count('retried', 1);
      message.nak(decision.delayMs);
      return;
    }
    try {
      await this.deadLetter(message, error, eventId);
      message.term();
      this.metrics.deadLettered.labels(this.metadata.options.durable).inc();
      this.logger.error({ msg: 'message dead-lettered', eventId, delivery, reason: decision.reason, err: String(error) });
    } catch (dlqError) {
      // Could not park it (NATS trouble): leave it to be redelivered rather than lose it.
      this.logger.warn({ msg: 'dead-lettering failed; will retry', err: String(dlqError) });
      message.nak(1000);
    }
  }

  private parse(message: JsMsg): EventEnvelope<object> {
    const subject = this.metadata.contract.subject;
    // Only the owner can write into its stream; anything that reached us otherwise is not its event.
    if (message.info.stream !== this.stream) {
      throw new ContractViolation(subject, [{ field: '', messages: [`delivered from stream ${message.info.stream}, not ${this.stream}`] }]);
    }
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
    const delivered = this.nats.unprefixed(message.subject);
    const contract = this.contractOf(delivered);
    // A message the server re-delivered onto this subject from elsewhere (a push consumer's
    // deliver subject) keeps its own type: an event is only what its owner published as it.
    if (!contract || envelope.type !== contract.subject) {
      throw new ContractViolation(subject, [{ field: 'type', messages: [`${envelope.type} delivered as ${delivered}`] }]);
    }
    return { ...envelope, data: validateMessage(contract.subject, contract.payload, envelope.data) };
  }

  /** The contract a delivered subject carries: the consumer's own, or one member of its family. */
  private contractOf(delivered: string): EventContract<object> | undefined {
    const contract = this.metadata.contract;
    if (isEventFamily(contract)) return contract.members.find((member) => member.subject === delivered);
    return contract.subject === delivered ? contract : undefined;
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
