/**
 * The referral write path through HTTP with auth, beside the raw PostgreSQL transaction of the
 * same shape (a referral row + an outbox row) measured in the same run.
 *
 *   npm run bench -- referral [--seconds 10] [--concurrency 32] [--rate 500]
 *
 * The directory (tokens, JWKS, organization look-ups over NATS), the consent service (each create
 * registers its client and inline consent there) and the referral service (outbox relay on,
 * publishing to JetStream) run as their own processes, started from their main.ts as in
 * production; this process is only the load generator. All share the two cores with PostgreSQL
 * and NATS.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { databaseUrl, deleteTestStreams, dropDatabases, freePort } from './support/harness';
import { expectStatus, jsonClient } from './support/http-client';
import { closedLoop, openLoop } from './support/load';
import { rawTransactions } from './support/raw-referral';
import { ServiceProcess } from './support/service-process';
import { fmt, option, percentile } from './support/stats';

/** A new client with the verbal consent that lets the receiver see what the referral carries (issue 12: else 422). */
export const referralBody = (to: string) => ({
  receivingOrganizationId: to,
  client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', phone: '+1 555 010 2000', preferredLanguage: 'es' },
  consent: { method: 'verbal-attested', categories: ['contact', 'demographics', 'notes'], attestedBy: 'Bench Navigator' },
  needs: ['food-insecurity', 'housing-instability'],
  description: 'Needs groceries this week',
  urgency: 'routine',
});

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 10);
  const concurrency = option(args, 'concurrency', 32);
  const rate = option(args, 'rate', 500);
  const id = randomBytes(4).toString('hex');
  const prefix = `bench${id}`;
  const databases = {
    directory: `nwd_bench_${id}_directory`,
    referral: `nwd_bench_${id}_referral`,
    consent: `nwd_bench_${id}_consent`,
    raw: `nwd_bench_${id}_raw`,
  };
  const adminSecret = randomBytes(24).toString('hex');
  const { call, token, member, close } = jsonClient(256);
  const services: ServiceProcess[] = [];
  try {
    // The ceiling first, on a quiet machine: the same rows, no service running.
    const raw = await rawTransactions(databaseUrl(databases.raw), seconds, 8);

    const [directoryPort, port, consentPort] = [await freePort(), await freePort(), await freePort()];
    const common = { NWD_NATS_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
    services.push(
      await ServiceProcess.start('directory', directoryPort, {
        ...common,
        DATABASE_URL: databaseUrl(databases.directory),
        NWD_ADMIN_CLIENT_ID: 'bench-admin',
        NWD_ADMIN_CLIENT_SECRET: adminSecret,
        NWD_RATE_LIMIT_PER_MINUTE: '100000000',
      }),
    );
    // The consent service registers each referral's client and records its consent (one NATS round trip per create).
    services.push(
      await ServiceProcess.start('consent', consentPort, {
        ...common,
        DATABASE_URL: databaseUrl(databases.consent),
        NWD_JWKS_URL: `http://127.0.0.1:${directoryPort}/.well-known/jwks.json`,
        NWD_RATE_LIMIT_PER_MINUTE: '100000000',
      }),
    );
    services.push(
      await ServiceProcess.start('referral', port, {
        ...common,
        DATABASE_URL: databaseUrl(databases.referral),
        NWD_JWKS_URL: `http://127.0.0.1:${directoryPort}/.well-known/jwks.json`,
        NWD_RATE_LIMIT_PER_MINUTE: '100000000',
      }),
    );

    const adminToken = await token(directoryPort, 'bench-admin', adminSecret);
    const memberWithToken = async (kind: string) => {
      const { id: orgId, clientId, clientSecret } = await member(directoryPort, adminToken, { name: `Bench ${kind} ${id}`, kind });
      return { id: orgId, token: await token(directoryPort, clientId, clientSecret) };
    };
    const clinic = await memberWithToken('health-system');
    const pantry = await memberWithToken('cbo');

    const create = () => expectStatus<{ id: string }>(call(port, 'POST', '/v1/referrals', clinic.token, referralBody(pantry.id)), 201);
    // Warm-up: JIT, connection pools, the JWKS cache.
    await closedLoop(concurrency, 3, async () => void (await create()));

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
    console.log(`| raw PostgreSQL (pgbench -c 8 -j 2): referral row + outbox row (tx/s) | ${fmt(raw.perSec, 0)} | baseline |`);
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
    const published = await outboxBacklog(databaseUrl(databases.referral));
    console.log(`| outbox rows written / still unpublished at the end | ${fmt(published.total, 0)} / ${fmt(published.unpublished, 0)} | |`);
  } finally {
    for (const service of services.reverse()) await service.stop();
    close();
    await deleteTestStreams(prefix);
    await dropDatabases(Object.values(databases));
  }
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
