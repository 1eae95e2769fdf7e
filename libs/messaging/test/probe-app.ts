import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { IsIn, IsUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { ClockModule } from '@nwd/clock';
import { BaseConfig, ConfigModule } from '@nwd/config';
import { defineEvent, defineRequest, EventEnvelope, StreamDefinition } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { HttpPlatformModule } from '@nwd/http';
import { RequestContext } from '@nwd/observability';
import { PersistenceModule } from '@nwd/persistence';
import { MessagingModule, MessagingTables1763900000000, NatsModule, OnEvent, OnRequest } from '../src';

/** A throwaway service for exercising the messaging layer: a stream, an event, a handler and a responder. */
export const PROBE_STREAM: StreamDefinition = { name: 'PROBE', subjects: ['probe.v1.>'], description: 'messaging tests' };

export const BEHAVIOURS = ['ok', 'fail-twice', 'fail-always', 'reject'] as const;

export class ProbeHappened {
  @IsUUID()
  probeId!: string;

  @IsIn(BEHAVIOURS)
  behaviour!: (typeof BEHAVIOURS)[number];
}
export const probeHappened = defineEvent('probe.v1.happened', PROBE_STREAM, ProbeHappened);

export class EchoRequest {
  @IsIn(['hello', 'missing', 'crash'])
  word!: string;
}
export class EchoResponse {
  @IsIn(['HELLO'])
  echoed!: string;
}
export const echo = defineRequest('probe.v1.echo', EchoRequest, EchoResponse);

export class ProbeConfig extends BaseConfig {
  readonly serviceName = 'probe';
  override PORT = 0;
}

export const PROBE_TABLES = `
  CREATE TABLE IF NOT EXISTS probe_state (id uuid PRIMARY KEY, value text NOT NULL);
  CREATE TABLE IF NOT EXISTS probe_handled (event_id uuid NOT NULL, probe_id uuid NOT NULL, request_id text, handled_at timestamptz NOT NULL DEFAULT now());
`;

@Injectable()
export class ProbeHandlers {
  /** Deliveries seen per probe, including failed ones. */
  readonly attempts = new Map<string, number>();

  @OnEvent(probeHappened, { durable: 'probe-recorder', maxDeliver: 3, backoffMs: [50, 100] })
  async record(event: EventEnvelope<ProbeHappened>, manager: EntityManager): Promise<void> {
    const { probeId, behaviour } = event.data;
    const attempt = (this.attempts.get(probeId) ?? 0) + 1;
    this.attempts.set(probeId, attempt);
    // The write happens before the failure, so a retry that double-applied would show up as two rows.
    await manager.query('INSERT INTO probe_handled (event_id, probe_id, request_id) VALUES ($1, $2, $3)', [
      event.id,
      probeId,
      RequestContext.requestId(),
    ]);
    if (behaviour === 'fail-always' || (behaviour === 'fail-twice' && attempt <= 2)) {
      throw new Error(`probe ${probeId} failed on attempt ${attempt}`);
    }
    if (behaviour === 'reject') throw DomainError.foreign({ code: 'probe.rejected', kind: 'unprocessable', message: 'this probe can never be handled' });
  }

  @OnRequest(echo)
  async answer(request: EchoRequest): Promise<EchoResponse> {
    if (request.word === 'missing') throw DomainError.foreign({ code: 'probe.missing', kind: 'not-found', message: 'no such word' });
    if (request.word === 'crash') throw new Error('responder bug');
    return { echoed: request.word.toUpperCase() };
  }
}

@Module({})
export class ProbeAppModule {
  static forRoot(config: ProbeConfig): DynamicModule {
    return {
      module: ProbeAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        // Every service has the one clock; the harness moves it (`svc.clock`).
        ClockModule,
        NatsModule,
        PersistenceModule.forRoot({ entities: [], migrations: [MessagingTables1763900000000] }),
        MessagingModule.forRoot({ streams: [PROBE_STREAM] }),
      ],
      providers: [ProbeHandlers],
    };
  }
}
