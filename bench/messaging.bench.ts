/**
 * Outbox relay throughput and commit → handled latency, each beside raw JetStream doing the same
 * work in the same process (the machine is noisy; ratios are what to compare).
 *
 *   npm run bench -- messaging [--events 20000] [--rate 1000] [--seconds 10]
 */
import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsUUID } from 'class-validator';
import { AckPolicy, connect, DeliverPolicy, JetStreamManager, NatsConnection, nanos } from 'nats';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { BaseConfig, buildConfig, ConfigModule } from '@nwd/config';
import { defineEvent, EventEnvelope, StreamDefinition } from '@nwd/contracts';
import { createHttpApp, HttpPlatformModule } from '@nwd/http';
import {
  MessagingHost,
  MessagingModule,
  MessagingTables1763900000000,
  NatsModule,
  OnEvent,
  Outbox,
} from '@nwd/messaging';
import { ensureDatabase, PersistenceModule } from '@nwd/persistence';
import { databaseUrl, deleteTestStreams, dropDatabases, pollUntil } from './support/harness';
import { openLoop } from './support/load';
import { fmt, option, percentile } from './support/stats';

const BENCH_STREAM: StreamDefinition = { name: 'BENCH', subjects: ['bench.v1.>'], description: 'messaging benchmark' };

class Tick {
  @IsUUID()
  tickId!: string;

  @IsInt()
  n!: number;
}
const tick = defineEvent('bench.v1.tick', BENCH_STREAM, Tick);

class BenchConfig extends BaseConfig {
  readonly serviceName = 'bench';
  override PORT = 0;
}

/** When each tick committed and when its handler ran, in this process's clock. */
const committedAt = new Map<string, number>();
const latencies: number[] = [];

@Injectable()
class TickHandler {
  @OnEvent(tick, { durable: 'bench-ticks' })
  async handle(event: EventEnvelope<Tick>, _manager: EntityManager): Promise<void> {
    const started = committedAt.get(event.data.tickId);
    if (started !== undefined) latencies.push(performance.now() - started);
  }
}

@Module({})
class BenchModule {
  static forRoot(config: BenchConfig, { consumes }: { consumes: boolean }): DynamicModule {
    return {
      module: BenchModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        MessagingModule.forRoot({ streams: [BENCH_STREAM] }),
        PersistenceModule.forRoot({ entities: [], migrations: [MessagingTables1763900000000] }),
        NatsModule,
      ],
      providers: consumes ? [TickHandler] : [],
    };
  }
}

export async function run(args: string[]): Promise<void> {
  const events = option(args, 'events', 20_000);
  const rate = option(args, 'rate', 1000);
  const seconds = option(args, 'seconds', 10);
  const id = randomBytes(4).toString('hex');
  // As deployed: the service that commits and the service that handles have their own databases and pools.
  const databases = [`nwd_bench_messaging_${id}_producer`, `nwd_bench_messaging_${id}_consumer`];
  for (const db of databases) await ensureDatabase(databaseUrl(db));
  const prefix = `bench${id}`;
  const configFor = (db: string, relay: boolean): BenchConfig =>
    buildConfig(BenchConfig, {
      DATABASE_URL: databaseUrl(db),
      NWD_NATS_PREFIX: prefix,
      NWD_OUTBOX_RELAY: relay,
      LOG_LEVEL: 'warn',
    });
  const config = configFor(databases[0]!, false);
  const nc = await connect({ servers: config.NATS_URL });
  const jsm = await nc.jetstreamManager();
  let app: NestFastifyApplication | undefined;
  let consumerApp: NestFastifyApplication | undefined;
  try {
    const raw = await rawJetStream(nc, jsm, prefix, events, rate, seconds);

    app = await createHttpApp(BenchModule.forRoot(config, { consumes: false }), config, { title: 'bench', description: 'bench' });
    const consumerConfig = configFor(databases[1]!, false);
    consumerApp = await createHttpApp(BenchModule.forRoot(consumerConfig, { consumes: true }), consumerConfig, {
      title: 'bench',
      description: 'bench',
    });
    const dataSource = app.get(DataSource);
    const relayRate = await relayThroughput(app, consumerApp, dataSource, events);
    const latency = await commitToHandled(app, dataSource, rate, seconds);

    console.log(`events: ${events}; latency run: ${rate}/s for ${seconds} s; node ${process.version}; 2 cores`);
    console.log('');
    console.log('| measure | raw JetStream (baseline) | outbox → JetStream → inbox consumer | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| publish throughput (events/s) | ${fmt(raw.publishPerSec, 0)} | ${fmt(relayRate, 0)} (relay) | ${fmt(relayRate / raw.publishPerSec, 2)} |`);
    console.log(`| p50 latency at ${rate}/s (ms) | ${fmt(raw.p50, 2)} (publish → consumed) | ${fmt(latency.p50, 2)} (commit → handled) | ${fmt(latency.p50 / raw.p50, 1)}× |`);
    console.log(`| p99 latency at ${rate}/s (ms) | ${fmt(raw.p99, 2)} | ${fmt(latency.p99, 2)} | ${fmt(latency.p99 / raw.p99, 1)}× |`);
    console.log(`| delivered | ${raw.delivered}/${raw.sent} | ${latency.delivered}/${latency.sent} | |`);
  } finally {
    await consumerApp?.close();
    await app?.close();
    await nc.close();
    await deleteTestStreams(prefix, config.NATS_URL);
    await dropDatabases(databases);
  }
}

/** Baseline: pipelined publish of the same number of messages, then publish → consume latency at the same rate. */
async function rawJetStream(nc: NatsConnection, jsm: JetStreamManager, prefix: string, events: number, rate: number, seconds: number) {
  const stream = `${prefix.toUpperCase()}_RAW`;
  const subject = `${prefix}.raw.tick`;
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.raw.>`], duplicate_window: nanos(2 * 3600 * 1000) });
  const js = nc.jetstream();
  const body = new TextEncoder().encode(JSON.stringify({ id: uuidv7(), type: 'raw', data: { tickId: uuidv7(), n: 0 } }));
  const started = performance.now();
  const batch = 1000;
  for (let i = 0; i < events; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, events - i) }, () => js.publish(subject, body, { msgID: uuidv7() })));
  }
  const publishPerSec = events / ((performance.now() - started) / 1000);
  await jsm.streams.purge(stream);

  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New });
  const consumer = await js.consumers.get(stream, 'raw');
  const sentAt = new Map<number, number>();
  const lat: number[] = [];
  const messages = await consumer.consume({ max_messages: 256 });
  const done = (async () => {
    for await (const m of messages) {
      const n = Number(new TextDecoder().decode(m.data));
      const t = sentAt.get(n);
      if (t !== undefined) lat.push(performance.now() - t);
      m.ack();
    }
  })();
  const sent = await paced(rate, seconds, async (n) => {
    sentAt.set(n, performance.now());
    await js.publish(subject, new TextEncoder().encode(String(n)));
  });
  await waitFor(() => lat.length >= sent, 10_000);
  messages.stop();
  await done;
  return { publishPerSec, p50: percentile(lat, 50), p99: percentile(lat, 99), sent, delivered: lat.length };
}

/** Fills the outbox with the relay stopped, then times the relay draining it into JetStream. */
async function relayThroughput(
  app: NestFastifyApplication,
  consumerApp: NestFastifyApplication,
  dataSource: DataSource,
  events: number,
): Promise<number> {
  const outbox = app.get(Outbox);
  const chunk = 2000;
  for (let i = 0; i < events; i += chunk) {
    await dataSource.transaction((manager) =>
      outbox.appendMany(manager, tick, Array.from({ length: Math.min(chunk, events - i) }, (_, k) => ({ tickId: uuidv7(), n: i + k }))),
    );
  }
  const relay = app.get(MessagingHost).relay;
  const started = performance.now();
  relay.start();
  await waitFor(async () => {
    const [row] = await dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return row.n === 0;
  }, 120_000);
  const perSec = events / ((performance.now() - started) / 1000);
  // Let the consumer work through the backlog before measuring latency.
  await waitFor(async () => (await consumerApp.get(MessagingHost).consumers[0]!.pending()) === 0, 120_000);
  return perSec;
}

/** One transaction per event (state row + outbox row) at a steady rate; latency from COMMIT returning to the handler running. */
async function commitToHandled(app: NestFastifyApplication, dataSource: DataSource, rate: number, seconds: number) {
  const outbox = app.get(Outbox);
  await dataSource.query('CREATE TABLE IF NOT EXISTS bench_state (id uuid PRIMARY KEY, n int NOT NULL)');
  latencies.length = 0;
  const sent = await paced(rate, seconds, async (n) => {
    const tickId = uuidv7();
    await dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO bench_state (id, n) VALUES ($1, $2)', [tickId, n]);
      await outbox.append(manager, tick, { tickId, n });
    });
    committedAt.set(tickId, performance.now());
  });
  await waitFor(() => latencies.length >= sent, 30_000);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), sent, delivered: latencies.length };
}

/** The open loop, every operation of which must succeed: a failed one would drop out of the figures and flatter them. */
async function paced(rate: number, seconds: number, op: (n: number) => Promise<void>): Promise<number> {
  const { sent, errors } = await openLoop(rate, seconds, op);
  if (errors) throw new Error(`${errors} of ${sent} operations failed`);
  return sent;
}

/** Polled often: the relay's throughput is timed to when this notices the outbox empty. */
const waitFor = (condition: () => boolean | Promise<boolean>, timeoutMs: number) =>
  pollUntil(condition, (met) => met, { timeoutMs, intervalMs: 20, what: 'the benchmark condition' });
