import { randomUUID } from 'node:crypto';
import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { IsIn, IsUUID } from 'class-validator';
import { connect, NatsConnection } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { ClockModule } from '@nwd/clock';
import { ConfigModule } from '@nwd/config';
import { defineEvent, defineEventFamily, EventEnvelope, StreamDefinition } from '@nwd/contracts';
import { HttpPlatformModule } from '@nwd/http';
import { PersistenceModule } from '@nwd/persistence';
import { bootService, natsUrl, pollUntil, ServiceUnderTest } from '@nwd/testing';
import { DLQ_HEADERS, MessagingModule, MessagingTables1763900000000, NatsClient, NatsModule, OnEvent, Outbox } from '../src';
import { ProbeConfig } from './probe-app';

const CASE_STREAM: StreamDefinition = { name: 'CASE', subjects: ['case.v1.>'], description: 'event family tests' };

class CaseEvent {
  @IsUUID() caseId!: string;
}
class CaseClosed extends CaseEvent {
  @IsIn(['resolved', 'withdrawn']) outcome!: string;
}
const caseOpened = defineEvent('case.v1.opened', CASE_STREAM, CaseEvent);
const caseClosed = defineEvent('case.v1.closed', CASE_STREAM, CaseClosed);
const CASE_EVENTS = defineEventFamily('case.v1.>', CASE_STREAM, CaseEvent, [caseOpened, caseClosed]);

@Injectable()
class CaseRecorder {
  @OnEvent(CASE_EVENTS, { durable: 'case-recorder', maxDeliver: 2, backoffMs: [50] })
  async record(event: EventEnvelope<object>, manager: EntityManager): Promise<void> {
    const data = event.data as CaseClosed;
    await manager.query('INSERT INTO case_seen (case_id, type, outcome) VALUES ($1, $2, $3)', [data.caseId, event.type, data.outcome ?? null]);
  }
}

@Module({})
class CaseAppModule {
  static forRoot(config: ProbeConfig): DynamicModule {
    return {
      module: CaseAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        ClockModule,
        NatsModule,
        PersistenceModule.forRoot({ entities: [], migrations: [MessagingTables1763900000000] }),
        MessagingModule.forRoot({ streams: [CASE_STREAM] }),
      ],
      providers: [CaseRecorder],
    };
  }
}

describe('an event family: one consumer for several events of a stream', () => {
  let svc: ServiceUnderTest<ProbeConfig>;
  let nc: NatsConnection;

  beforeAll(async () => {
    svc = await bootService({ service: 'reporting', config: ProbeConfig, module: (c) => CaseAppModule.forRoot(c) });
    await svc.app.get(DataSource).query('CREATE TABLE case_seen (seq bigserial PRIMARY KEY, case_id uuid NOT NULL, type text NOT NULL, outcome text)');
    nc = await connect({ servers: natsUrl() });
  });
  afterAll(async () => {
    await nc?.close();
    await svc?.close();
  });

  const seen = async (caseId: string) =>
    (await svc.app.get(DataSource).query('SELECT type, outcome FROM case_seen WHERE case_id = $1 ORDER BY seq', [caseId])) as { type: string; outcome: string | null }[];

  it('handles its members in the order they were written, each validated against its own contract', async () => {
    const caseId = randomUUID();
    const outbox = svc.app.get(Outbox);
    await svc.app.get(DataSource).transaction(async (manager) => {
      await outbox.append(manager, caseOpened, { caseId });
      await outbox.append(manager, caseClosed, { caseId, outcome: 'resolved' });
      await outbox.append(manager, caseOpened, { caseId });
    });
    expect(await pollUntil(() => seen(caseId), (rows) => rows.length === 3, { what: 'three events handled' })).toEqual([
      { type: 'case.v1.opened', outcome: null },
      { type: 'case.v1.closed', outcome: 'resolved' },
      { type: 'case.v1.opened', outcome: null },
    ]);
  });

  it.each([
    ['a type that is not a member', 'case.v1.reopened', 'case.v1.reopened', { outcome: 'resolved' }, 'case.v1.reopened delivered as case.v1.reopened'],
    ['a member breaking its own contract', 'case.v1.closed', 'case.v1.closed', { outcome: 'lost' }, 'outcome'],
    ['an envelope typed as another member', 'case.v1.opened', 'case.v1.closed', { outcome: 'resolved' }, 'case.v1.closed delivered as case.v1.opened'],
  ])('parks, unhandled, %s', async (_what, subject, type, extra, error) => {
    const nats = svc.app.get(NatsClient);
    const caseId = randomUUID();
    const envelope = { id: randomUUID(), type, source: 'probe', occurredAt: new Date().toISOString(), data: { caseId, ...extra } };
    await nc.jetstream().publish(nats.subject(subject), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });
    const jsm = await nc.jetstreamManager();
    const parked = await pollUntil(
      () => jsm.streams.getMessage(nats.stream('DLQ'), { last_by_subj: nats.subject('dlq.case-recorder') }).catch(() => undefined),
      (m) => m !== undefined && JSON.parse(new TextDecoder().decode(m.data)).data.caseId === caseId,
      { what: 'parked on the DLQ' },
    );
    expect(parked!.header.get(DLQ_HEADERS.errorCode)).toBe('contract-violation');
    expect(parked!.header.get(DLQ_HEADERS.error)).toContain(error);
    expect(await seen(caseId)).toEqual([]);
  });
});
