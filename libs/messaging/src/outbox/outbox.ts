import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { BaseConfig } from '@nwd/config';
import { EventContract, EventEnvelope, validateMessage } from '@nwd/contracts';
import { RequestContext } from '@nwd/observability';
import type { TableRow } from '@nwd/persistence';

/**
 * Writes events in the same database transaction as the state change they describe: both
 * commit or neither does. The relay publishes them afterwards.
 */
@Injectable()
export class Outbox {
  constructor(private readonly config: BaseConfig) {}

  async append<P extends object>(manager: EntityManager, contract: EventContract<P>, data: P): Promise<EventEnvelope<P>> {
    const [envelope] = await this.appendMany(manager, contract, [data]);
    return envelope!;
  }

  /**
   * `options.ids`, one per item, for events whose id the writer derives instead of a fresh UUIDv7:
   * a copy of another event (a partner feed's) then keeps its id however often it is written,
   * so JetStream de-duplicates it and a reader can too.
   */
  async appendMany<P extends object>(
    manager: EntityManager,
    contract: EventContract<P>,
    items: P[],
    options: { ids?: readonly string[] } = {},
  ): Promise<EventEnvelope<P>[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox.append(${contract.subject}) must run inside the transaction of the state change`);
    }
    if (options.ids && options.ids.length !== items.length) throw new Error(`Outbox.appendMany(${contract.subject}): one id per event`);
    const envelopes = items.map((data, i) => this.envelope(contract, data, options.ids?.[i]));
    if (!envelopes.length) return envelopes;
    const values: unknown[] = [];
    const rows = envelopes.map((e, i) => {
      values.push(e.id, e.type, JSON.stringify(e));
      return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::jsonb)`;
    });
    await manager.query(`INSERT INTO outbox (id, subject, envelope) VALUES ${rows.join(', ')}`, values);
    return envelopes;
  }

  /**
   * The outbox row of an event, for a writer that inserts its state change and the event in one
   * statement (`insertTogether`): atomic without a transaction, hence one round trip.
   */
  row<P extends object>(contract: EventContract<P>, data: P): TableRow {
    const envelope = this.envelope(contract, data);
    return { table: 'outbox', values: { id: envelope.id, subject: envelope.type, envelope }, jsonColumns: ['envelope'] };
  }

  private envelope<P extends object>(contract: EventContract<P>, data: P, id: string = uuidv7()): EventEnvelope<P> {
    // Validate on publish: a payload that breaks its contract fails the writer's transaction, not a consumer later.
    validateMessage(contract.subject, contract.payload, JSON.parse(JSON.stringify(data)));
    const requestId = RequestContext.requestId();
    return {
      id,
      type: contract.subject,
      source: this.config.serviceName,
      occurredAt: new Date().toISOString(),
      ...(requestId ? { requestId } : {}),
      data,
    };
  }
}
