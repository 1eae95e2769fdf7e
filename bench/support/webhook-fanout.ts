/**
 * Webhook fan-out: referral events committed to a producer's outbox at a steady rate, through the
 * relay, JetStream and the notifications service's inbox consumer, queued and signed and POSTed to
 * real HTTP receivers on loopback; beside it, a bare HTTP POST loop to the same receivers.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { BaseConfig, buildConfig, ConfigModule } from '@nwd/config';
import { ReferralEvents } from '@nwd/contracts';
import { createHttpApp, HttpPlatformModule } from '@nwd/http';
import { MessagingModule, MessagingTables1763900000000, NatsModule, Outbox } from '@nwd/messaging';
import { ensureDatabase, PersistenceModule } from '@nwd/persistence';
import { Client as PgClient } from 'pg';
import { WebhookSecretCipher } from '../../apps/notifications/src/webhooks/webhook-secret.cipher';
import { newSigningSecret } from '../../apps/notifications/src/webhooks/webhook-signer';
import { connect, NatsConnection } from 'nats';
import { NatsNames } from '../../libs/messaging/src/nats/nats-names';
import { databaseUrl, deleteTestStreams, dropDatabases, freePort, natsUrl, pollUntil } from './harness';
import { ServiceProcess } from './service-process';
import { openLoop } from './load';
import { percentile } from './stats';

class ProducerConfig extends BaseConfig {
  /** As the referral service: only a stream's owner creates it. */
  readonly serviceName = 'referral';
  override PORT = 0;
}

/** Stands in for the referral service: its outbox and relay onto REFERRAL, nothing else. */
@Module({})
class ProducerModule {
  static forRoot(config: ProducerConfig): DynamicModule {
    return {
      module: ProducerModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        MessagingModule.forRoot({ streams: ['REFERRAL'] }),
        PersistenceModule.forRoot({ entities: [], migrations: [MessagingTables1763900000000] }),
        NatsModule,
      ],
    };
  }
}

/** Receivers on loopback, each answering 204 and noting when each message arrived. */
class Receivers {
  readonly servers: http.Server[] = [];
  readonly arrivedAt = new Map<string, number[]>();
  received = 0;

  static async start(count: number): Promise<Receivers> {
    const receivers = new Receivers();
    for (let i = 0; i < count; i++) {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const at = performance.now();
          const key = String(req.headers['x-bench-id'] ?? JSON.parse(Buffer.concat(chunks).toString('utf8')).data.eventId);
          const times = receivers.arrivedAt.get(key) ?? [];
          times.push(at);
          receivers.arrivedAt.set(key, times);
          receivers.received++;
          res.writeHead(204).end();
        });
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      receivers.servers.push(server);
    }
    return receivers;
  }

  url(i: number): string {
    return `http://127.0.0.1:${(this.servers[i]!.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
}

export interface FanOutResult {
  events: number;
  deliveriesExpected: number;
  delivered: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  bare: { posts: number; p50: number; p99: number; max: number };
  /** The same events as the partners' NATS feeds carry them: committed → read from PARTNER. */
  feeds: { copies: number; p50: number; p99: number; max: number };
}

export async function webhookFanOut({ endpoints, rate, seconds }: { endpoints: number; rate: number; seconds: number }): Promise<FanOutResult> {
  const id = randomBytes(4).toString('hex');
  const databases = [`nwd_bench_webhooks_${id}_producer`, `nwd_bench_webhooks_${id}_notifications`];
  for (const db of databases) await ensureDatabase(databaseUrl(db));
  const prefix = `bench${id}`;
  const receivers = await Receivers.start(endpoints);
  let producer: NestFastifyApplication | undefined;
  let notifications: ServiceProcess | undefined;
  let notificationsDb: PgClient | undefined;
  let feedReader: NatsConnection | undefined;
  try {
    const bare = await bareHttpLoop(receivers, rate * 2, seconds);

    // The producer first: it creates REFERRAL, which the notifications consumers read.
    const producerConfig = buildConfig(ProducerConfig, { DATABASE_URL: databaseUrl(databases[0]!), NWD_NATS_PREFIX: prefix, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    producer = await createHttpApp(ProducerModule.forRoot(producerConfig), producerConfig, { title: 'bench', description: 'bench' });
    // The notifications service as deployed: its own process (main.ts), event loop and pool.
    notifications = await ServiceProcess.start('notifications', await freePort(), {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl(databases[1]!),
      NWD_NATS_PREFIX: prefix,
      NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      NWD_WEBHOOK_CONCURRENCY: '64',
      NWD_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });

    // One organization per endpoint, written as registration writes them (registration itself is not what is measured).
    const organizations = Array.from({ length: endpoints }, () => randomUUID());
    const cipher = new WebhookSecretCipher('');
    notificationsDb = new PgClient({ connectionString: databaseUrl(databases[1]!) });
    await notificationsDb.connect();
    for (let i = 0; i < endpoints; i++) {
      await notificationsDb.query(
        `INSERT INTO webhook_endpoint (id, organization_id, url, events, status, secret_sealed, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'active', $5, now(), now())`,
        [randomUUID(), organizations[i], receivers.url(i), [ReferralEvents.requested.subject], cipher.encrypt(newSigningSecret())],
      );
    }

    // A reader of every partner's feed (stream PARTNER, which the notifications service provisioned), timing each copy's arrival.
    const names = new NatsNames(prefix);
    feedReader = await connect({ servers: natsUrl() });
    const feedArrivals = new Map<string, number[]>();
    const feed = await feedReader.jetstream().consumers.get(names.stream('PARTNER'), { filterSubjects: names.subject('partner.>') });
    void (async () => {
      for await (const m of await feed.consume()) {
        const referralId = (JSON.parse(new TextDecoder().decode(m.data)) as { data: { referralId: string } }).data.referralId;
        const seen = feedArrivals.get(referralId) ?? [];
        seen.push(performance.now());
        feedArrivals.set(referralId, seen);
      }
    })().catch(() => undefined);

    const outbox = producer.get(Outbox);
    const dataSource = producer.get(DataSource);
    const committedAt = new Map<string, number>();
    const referralOf = new Map<string, string>();
    // Warm-up: connections, JIT, the consumers' first fetch.
    await emit(outbox, dataSource, organizations, 0, committedAt, referralOf);
    await pollUntil(() => receivers.received, (n) => n >= 2, { timeoutMs: 30_000, what: 'the warm-up delivery' });
    committedAt.clear();
    receivers.arrivedAt.clear();
    receivers.received = 0;

    const { sent, errors } = await openLoop(rate, seconds, (n) => emit(outbox, dataSource, organizations, n, committedAt, referralOf));
    if (errors) throw new Error(`${errors} of ${sent} commits failed`);
    const expected = sent * 2;
    await pollUntil(() => receivers.received, (n) => n >= expected, { timeoutMs: 120_000, intervalMs: 100, what: 'every delivery' });
    // Let any duplicate arrive before counting.
    await new Promise((r) => setTimeout(r, 1000));

    if (process.env.BENCH_DEBUG) {
      console.log(await dataSource.query(`SELECT percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at) * 1000) AS relayed_ms FROM outbox`));
      console.log((await notificationsDb.query(`SELECT consumer, count(*), max(handled_at) - min(handled_at) AS span FROM inbox GROUP BY consumer`)).rows);
      console.log((await notificationsDb.query(`SELECT
        percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - occurred_at) * 1000) AS queued_ms,
        percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at) * 1000) AS sent_ms
        FROM webhook_delivery`)).rows);
    }
    const latencies: number[] = [];
    let duplicates = 0;
    for (const [eventId, committed] of committedAt) {
      const arrivals = receivers.arrivedAt.get(eventId) ?? [];
      duplicates += Math.max(0, arrivals.length - 2);
      for (const at of arrivals.slice(0, 2)) latencies.push(at - committed);
    }
    await pollUntil(() => [...committedAt.keys()].every((id) => (feedArrivals.get(referralOf.get(id)!) ?? []).length >= 2), (done) => done, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: 'every partner copy',
    });
    const feedLatencies: number[] = [];
    for (const [eventId, committed] of committedAt) for (const at of (feedArrivals.get(referralOf.get(eventId)!) ?? []).slice(0, 2)) feedLatencies.push(at - committed);
    return {
      feeds: { copies: feedLatencies.length, p50: percentile(feedLatencies, 50), p99: percentile(feedLatencies, 99), max: Math.max(...feedLatencies) },
      events: sent,
      deliveriesExpected: expected,
      delivered: latencies.length,
      duplicates,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      bare,
    };
  } finally {
    await feedReader?.close();
    await notificationsDb?.end();
    await notifications?.stop();
    await producer?.close();
    await receivers.close();
    await deleteTestStreams(prefix).catch(() => undefined);
    await dropDatabases(databases);
  }
}

/** One referral event committed in its own transaction, for a sender and a receiver that both have an endpoint. */
async function emit(outbox: Outbox, dataSource: DataSource, organizations: string[], n: number, committedAt: Map<string, number>, referralOf: Map<string, string>): Promise<void> {
  const sender = organizations[n % organizations.length]!;
  const receiver = organizations[(n * 7 + 1) % organizations.length]!;
  const referralId = randomUUID();
  const envelope = await dataSource.transaction((manager) =>
    outbox.append(manager, ReferralEvents.requested, {
      referralId,
      senderOrganizationId: sender,
      receivingOrganizationId: receiver === sender ? organizations[(n + 1) % organizations.length]! : receiver,
      status: 'requested',
      needs: ['food-insecurity'],
      version: 1,
      occurredAt: new Date().toISOString(),
    }),
  );
  committedAt.set(envelope.id, performance.now());
  referralOf.set(envelope.id, referralId);
}

/** The floor: the same number of POSTs a second to the same receivers, nothing in between. */
async function bareHttpLoop(receivers: Receivers, rate: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify({ type: 'referral.v1.requested', data: { eventId: randomUUID() } });
  const sentAt = new Map<string, number>();
  const { sent, errors } = await openLoop(rate, seconds, (n) => {
    const key = `bare-${n}`;
    sentAt.set(key, performance.now());
    return new Promise<void>((resolve, reject) => {
      const req = http.request(receivers.url(n % receivers.servers.length), { method: 'POST', agent, headers: { 'x-bench-id': key, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
  });
  agent.destroy();
  if (errors) throw new Error(`${errors} of ${sent} bare POSTs failed`);
  const latencies = [...sentAt].map(([key, at]) => (receivers.arrivedAt.get(key)?.[0] ?? NaN) - at).filter(Number.isFinite);
  receivers.arrivedAt.clear();
  receivers.received = 0;
  return { posts: sent, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}
