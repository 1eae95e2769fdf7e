/**
 * The referral write path through HTTP with auth, beside the raw PostgreSQL transaction of the
 * same shape (a referral row + an outbox row) measured in the same run.
 *
 *   npm run bench -- referral [--seconds 10] [--concurrency 32] [--rate 500]
 *
 * One process holds the directory (tokens, JWKS, organization look-ups over NATS), the referral
 * service (outbox relay on, publishing to JetStream) and the load generator, on the same two cores
 * as PostgreSQL and NATS.
 */
import 'reflect-metadata';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'nats';
import { Client, Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { buildConfig } from '@nwd/config';
import { createHttpApp } from '@nwd/http';
import { ensureDatabase } from '@nwd/persistence';
import { DirectoryAppModule } from '../apps/directory/src/directory-app.module';
import { DirectoryConfig } from '../apps/directory/src/directory.config';
import { ReferralAppModule } from '../apps/referral/src/referral-app.module';
import { ReferralConfig } from '../apps/referral/src/referral.config';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function call(port: number, method: string, path: string, token: string | undefined, body?: object): Promise<{ status: number; body: any }> {
  const payload = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function expectStatus<T>(promise: Promise<{ status: number; body: any }>, status: number): Promise<T> {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

const referralBody = (to: string) => ({
  receivingOrganizationId: to,
  client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', phone: '+1 555 010 2000', preferredLanguage: 'es' },
  needs: ['food-insecurity', 'housing-instability'],
  description: 'Needs groceries this week',
  urgency: 'routine',
});

/** Closed loop: `concurrency` workers each doing `work` back to back for `seconds`. */
async function closedLoop(concurrency: number, seconds: number, work: () => Promise<void>): Promise<{ done: number; perSec: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await work();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { done: latencies.length, perSec: latencies.length / elapsed, latencies };
}

/** Open loop at a fixed rate: latency as a partner sending steadily would see it. */
async function openLoop(rate: number, seconds: number, work: () => Promise<void>): Promise<{ sent: number; latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  const total = rate * seconds;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      work().then(
        () => void latencies.push(performance.now() - due),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return { sent: total, latencies, errors };
}

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 10);
  const concurrency = option(args, 'concurrency', 32);
  const rate = option(args, 'rate', 500);
  const id = randomBytes(4).toString('hex');
  const prefix = `bench${id}`;
  const databases = { directory: `nwd_bench_${id}_directory`, referral: `nwd_bench_${id}_referral` };
  const url = (db: string) => `postgres://postgres@127.0.0.1:5432/${db}`;
  const adminSecret = randomBytes(24).toString('hex');
  let directory: NestFastifyApplication | undefined;
  let referral: NestFastifyApplication | undefined;
  try {
    for (const db of Object.values(databases)) await ensureDatabase(url(db));
    const directoryConfig = buildConfig(DirectoryConfig, {
      DATABASE_URL: url(databases.directory),
      NWD_NATS_PREFIX: prefix,
      NWD_ADMIN_CLIENT_ID: 'bench-admin',
      NWD_ADMIN_CLIENT_SECRET: adminSecret,
      NWD_RATE_LIMIT_PER_MINUTE: 1_000_000,
      LOG_LEVEL: 'warn',
      PORT: 0,
    });
    directory = await createHttpApp(DirectoryAppModule.forRoot(directoryConfig), directoryConfig, { title: 'directory', description: 'bench' });
    await directory.listen({ port: 0, host: '127.0.0.1' });
    const directoryPort = (directory.getHttpServer().address() as AddressInfo).port;
    const referralConfig = buildConfig(ReferralConfig, {
      DATABASE_URL: url(databases.referral),
      NWD_NATS_PREFIX: prefix,
      NWD_JWKS_URL: `http://127.0.0.1:${directoryPort}/.well-known/jwks.json`,
      NWD_RATE_LIMIT_PER_MINUTE: 100_000_000,
      LOG_LEVEL: 'warn',
      PORT: 0,
    });
    referral = await createHttpApp(ReferralAppModule.forRoot(referralConfig), referralConfig, { title: 'referral', description: 'bench' });
    await referral.listen({ port: 0, host: '127.0.0.1' });
    const port = (referral.getHttpServer().address() as AddressInfo).port;

    const token = async (clientId: string, secret: string) =>
      (await expectStatus<{ access_token: string }>(call(directoryPort, 'POST', '/oauth/token', undefined, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret }), 200))
        .access_token;
    const adminToken = await token('bench-admin', adminSecret);
    const member = async (kind: string) => {
      const org = await expectStatus<{ id: string }>(call(directoryPort, 'POST', '/v1/organizations', adminToken, { name: `Bench ${kind} ${id}`, kind }), 201);
      const client = await expectStatus<{ clientId: string; clientSecret: string }>(
        call(directoryPort, 'POST', `/v1/organizations/${org.id}/clients`, adminToken, { name: 'bench', roles: ['staff'] }),
        201,
      );
      return { id: org.id, token: await token(client.clientId, client.clientSecret) };
    };
    const clinic = await member('health-system');
    const pantry = await member('cbo');

    const create = () => expectStatus<{ id: string }>(call(port, 'POST', '/v1/referrals', clinic.token, referralBody(pantry.id)), 201);
    // Warm-up: JIT, connection pools, the JWKS cache.
    await closedLoop(concurrency, 2, async () => void (await create()));

    const raw = await rawTransactions(url(databases.referral), seconds, 8);
    const creates = await closedLoop(concurrency, seconds, async () => void (await create()));
    const steady = await openLoop(rate, seconds, async () => void (await create()));
    const steps = { create: [] as number[], accept: [] as number[], complete: [] as number[] };
    const timed = async <T>(into: number[], work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const result = await work();
      into.push(performance.now() - t0);
      return result;
    };
    const loops = await closedLoop(concurrency, seconds, async () => {
      const { id: referralId } = await timed(steps.create, create);
      await timed(steps.accept, () => expectStatus(call(port, 'POST', `/v1/referrals/${referralId}/status`, pantry.token, { status: 'accepted', version: 1 }), 200));
      await timed(steps.complete, () =>
        expectStatus(call(port, 'POST', `/v1/referrals/${referralId}/status`, pantry.token, { status: 'completed', outcome: 'service-provided', version: 2 }), 200),
      );
    });

    console.log(`seconds per phase: ${seconds}; concurrency: ${concurrency}; steady rate: ${rate}/s; node ${process.version}; 2 cores`);
    console.log('');
    console.log('| measure | figure | target |');
    console.log('|---|---|---|');
    console.log(`| raw PostgreSQL: referral row + outbox row, 8 connections (tx/s) | ${fmt(raw.perSec, 0)} | baseline |`);
    console.log(`| HTTP create with auth, ${concurrency} concurrent (referrals/s) | ${fmt(creates.perSec, 0)} | ≥ 1,500 |`);
    console.log(`| … as a share of raw | ${fmt((100 * creates.perSec) / raw.perSec, 1)} % | ≥ 20 % |`);
    console.log(`| … latency p50 / p99 (ms) | ${fmt(percentile(creates.latencies, 50), 1)} / ${fmt(percentile(creates.latencies, 99), 1)} | |`);
    console.log(
      `| create at ${rate}/s: p50 / p99 (ms), errors | ${fmt(percentile(steady.latencies, 50), 1)} / ${fmt(percentile(steady.latencies, 99), 1)}, ${steady.errors}/${steady.sent} | p99 ≤ 50 |`,
    );
    console.log(`| create → accept → complete, ${concurrency} concurrent (loops/s) | ${fmt(loops.perSec, 0)} | |`);
    for (const [step, values] of Object.entries(steps)) {
      console.log(`| … ${step} p50 / p99 (ms) | ${fmt(percentile(values, 50), 1)} / ${fmt(percentile(values, 99), 1)} | |`);
    }
    const published = await outboxBacklog(url(databases.referral));
    console.log(`| outbox rows written / still unpublished at the end | ${fmt(published.total, 0)} / ${fmt(published.unpublished, 0)} | |`);
  } finally {
    await referral?.close();
    await directory?.close();
    agent.destroy();
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix.toUpperCase())) await jsm.streams.delete(stream.config.name);
    }
    await nc.close();
    const admin = new Client({ connectionString: url('postgres') });
    await admin.connect();
    for (const db of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * The ceiling: the same rows the service writes for a create, in one transaction, with nothing
 * else (no HTTP, auth, validation, directory look-up or ORM). A client row is shared, as the
 * ceiling should not pay for what the service does per request beyond the referral and its event.
 */
async function rawTransactions(databaseUrl: string, seconds: number, connections: number): Promise<{ perSec: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  const clientId = uuidv7();
  const org = [uuidv7(), uuidv7()];
  await pool.query(`INSERT INTO client (id, created_by_organization_id, given_name, family_name, birth_date, created_at) VALUES ($1, $2, 'A', 'B', '1980-01-01', now())`, [clientId, org[0]]);
  const result = await closedLoop(connections, seconds, async () => {
    const db = await pool.connect();
    try {
      const id = uuidv7();
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO referral (id, reference, chain_id, client_id, sender_organization_id, receiving_organization_id, party_organization_ids,
           needs, status, urgency, respond_due_at, next_due_at, created_at, updated_at)
         VALUES ($1, $2, $1, $3, $4, $5, ARRAY[$4, $5]::uuid[], $6, 'requested', 'routine', now(), now(), now(), now())`,
        [id, `RAW-${id}`, clientId, org[0], org[1], ['food-insecurity', 'housing-instability']],
      );
      const event = { id: uuidv7(), type: 'referral.v1.requested', data: { referralId: id, senderOrganizationId: org[0], receivingOrganizationId: org[1], status: 'requested', version: 1 } };
      await db.query(`INSERT INTO outbox (id, subject, envelope) VALUES ($1, $2, $3::jsonb)`, [event.id, event.type, JSON.stringify(event)]);
      await db.query('COMMIT');
    } finally {
      db.release();
    }
  });
  await pool.end();
  return result;
}

async function outboxBacklog(databaseUrl: string): Promise<{ total: number; unpublished: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM outbox`);
    return rows[0];
  } finally {
    await client.end();
  }
}
