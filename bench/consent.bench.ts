/**
 * What consent costs the referral service, beside baselines measured in the same run:
 *
 *   npm run bench -- consent [--seconds 10] [--concurrency 32] [--rate 1000] [--clients 50] [--uncached-rate 200]
 *
 * (1) the raw PostgreSQL transaction of a create (the referral bench's baseline); then the
 * directory, consent and referral services as their own processes, and from this process, which
 * is only the load generator: (2) policy decisions paced at `--rate`/s as a service asks them —
 * through the decision cache (`@nwd/consent-client`, kept fresh by consent events) over a working
 * set of `--clients` clients — and, beside it, uncached over NATS request/reply at `--uncached-rate`/s; (3) `GET /v1/referrals/{id}` by the receiver of an identified referral (the client
 * disclosed: a decision and a disclosure recorded per read) against the same read of a
 * de-identified one (no personal data, no consent service), alternating phases of the same length;
 * (4) `POST /v1/referrals` with an inline client and verbal consent as a share of the raw baseline.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { buildConfig } from '@nwd/config';
import { ConsentDecisionCache } from '@nwd/consent-client';
import { ConsentRequests, DecideRequest } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';
import { ReferralConfig } from '../apps/referral/src/referral.config';
import { databaseUrl, deleteTestStreams, dropDatabases, freePort } from './support/harness';
import { expectStatus, jsonClient } from './support/http-client';
import { closedLoop, openLoop } from './support/load';
import { rawTransactions } from './support/raw-referral';
import { ServiceProcess } from './support/service-process';
import { fmt, option, percentile } from './support/stats';
import { referralBody } from './referral.bench';

/** The share of raw the referral bench recorded before consent (docs/benchmarks.md, 2026-11-23 10:35). */
const SHARE_BEFORE_CONSENT = 39.9;

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 10);
  const concurrency = option(args, 'concurrency', 32);
  const rate = option(args, 'rate', 1000);
  const workingSet = option(args, 'clients', 50);
  const uncachedRate = option(args, 'uncached-rate', 200);
  const id = randomBytes(4).toString('hex');
  const prefix = `bench${id}`;
  const names = ['directory', 'consent', 'referral', 'raw'] as const;
  const databases = Object.fromEntries(names.map((n) => [n, `nwd_bench_${id}_${n}`])) as Record<(typeof names)[number], string>;
  const adminSecret = randomBytes(24).toString('hex');
  const { call, token, member, close } = jsonClient(256);
  const services: ServiceProcess[] = [];
  // This process asks as the referral service would: its NATS names, its messaging client, the shared cache.
  const nats = await NatsClient.connect(buildConfig(ReferralConfig, { NWD_NATS_PREFIX: prefix, NODE_ENV: 'development' }));
  const messaging = new MessagingClient(nats);
  const cache = new ConsentDecisionCache(messaging, nats);
  cache.listen();
  try {
    const raw = await rawTransactions(databaseUrl(databases.raw), seconds, 8);

    const ports = { directory: await freePort(), consent: await freePort(), referral: await freePort() };
    const common = { NWD_NATS_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development', NWD_RATE_LIMIT_PER_MINUTE: '100000000' };
    const jwks = { NWD_JWKS_URL: `http://127.0.0.1:${ports.directory}/.well-known/jwks.json` };
    services.push(
      await ServiceProcess.start('directory', ports.directory, {
        ...common,
        DATABASE_URL: databaseUrl(databases.directory),
        NWD_ADMIN_CLIENT_ID: 'bench-admin',
        NWD_ADMIN_CLIENT_SECRET: adminSecret,
      }),
    );
    services.push(await ServiceProcess.start('consent', ports.consent, { ...common, ...jwks, DATABASE_URL: databaseUrl(databases.consent) }));
    services.push(await ServiceProcess.start('referral', ports.referral, { ...common, ...jwks, DATABASE_URL: databaseUrl(databases.referral) }));

    const adminToken = await token(ports.directory, 'bench-admin', adminSecret);
    const memberWithToken = async (kind: string) => {
      const { id: orgId, clientId, clientSecret } = await member(ports.directory, adminToken, { name: `Bench ${kind} ${id}`, kind });
      return { id: orgId, token: await token(ports.directory, clientId, clientSecret) };
    };
    const clinic = await memberWithToken('health-system');
    const pantry = await memberWithToken('cbo');
    const create = (body: object) => expectStatus<{ id: string; clientId: string }>(call(ports.referral, 'POST', '/v1/referrals', clinic.token, body), 201);
    const read = (referralId: string) => expectStatus(call(ports.referral, 'GET', `/v1/referrals/${referralId}`, pantry.token), 200);

    // Warm-up: JIT, pools, JWKS and organization caches on every service.
    await closedLoop(concurrency, 3, async () => void (await create(referralBody(pantry.id))));
    const identified = await create(referralBody(pantry.id));
    const { consent: _, ...withoutConsent } = referralBody(pantry.id);
    const deidentified = await create({ ...withoutConsent, deidentified: true });
    await closedLoop(concurrency, 2, async () => void (await Promise.all([read(identified.id), read(deidentified.id)])));

    // (2) decisions, paced, as another service asks them: a working set of clients, each with its consent for the pantry.
    const clients: string[] = [identified.clientId];
    while (clients.length < workingSet) clients.push((await create(referralBody(pantry.id))).clientId);
    const question = (n: number): DecideRequest => ({
      clientId: clients[n % clients.length]!,
      recipientOrganizationId: pantry.id,
      purpose: 'referral',
      categories: ['contact', 'demographics', 'notes'],
      sourceOrganizationIds: [clinic.id],
    });
    const permitted = (decision: { permitted: boolean }) => {
      if (!decision.permitted) throw new Error('decision not permitted');
    };
    await openLoop(Math.min(uncachedRate, 100), 2, async (n) => permitted(await messaging.request(ConsentRequests.decide, question(n))));
    const uncached = await openLoop(uncachedRate, seconds, async (n) => permitted(await messaging.request(ConsentRequests.decide, question(n))));
    const decisions = await openLoop(rate, seconds, async (n) => permitted(await cache.decide(question(n))));

    // (3) the receiver's read with and without the client, alternating so both see the same machine.
    const half = Math.max(1, Math.round(seconds / 2));
    const withClient = [] as number[][];
    const without = [] as number[][];
    let withDone = 0;
    let withoutDone = 0;
    for (let round = 0; round < 2; round++) {
      const a = await closedLoop(concurrency, half, async () => void (await read(identified.id)));
      const b = await closedLoop(concurrency, half, async () => void (await read(deidentified.id)));
      withClient.push(a.latencies);
      without.push(b.latencies);
      withDone += a.done;
      withoutDone += b.done;
    }
    const readsWith = withDone / (2 * half);
    const readsWithout = withoutDone / (2 * half);

    // (4) creates with an inline client and consent.
    const creates = await closedLoop(concurrency, seconds, async () => void (await create(referralBody(pantry.id))));

    const share = (100 * creates.perSec) / raw.perSec;
    console.log(`seconds per phase: ${seconds}; concurrency: ${concurrency}; decision rate: ${rate}/s; node ${process.version}; 2 cores`);
    console.log('');
    console.log('| measure | figure | target |');
    console.log('|---|---|---|');
    console.log(
      `| decisions at ${rate}/s through the decision cache, ${clients.length} clients: p50 / p99 (ms), errors | ${fmt(percentile(decisions.latencies, 50), 2)} / ${fmt(percentile(decisions.latencies, 99), 2)}, ${decisions.errors}/${decisions.sent} | p99 ≤ 5 |`,
    );
    console.log(
      `| … uncached, over NATS to the consent service at ${uncachedRate}/s: p50 / p99 (ms), errors | ${fmt(percentile(uncached.latencies, 50), 2)} / ${fmt(percentile(uncached.latencies, 99), 2)}, ${uncached.errors}/${uncached.sent} | |`,
    );
    console.log(`| GET /v1/referrals/{id} by the receiver, no personal data (reads/s) | ${fmt(readsWithout, 0)} | baseline |`);
    console.log(`| … with the client disclosed (decision + disclosure recorded) (reads/s) | ${fmt(readsWith, 0)} | |`);
    console.log(`| … as a share of the read without | ${fmt((100 * readsWith) / readsWithout, 1)} % | ≥ 50 % |`);
    console.log(`| … p50 / p99 with (ms) | ${fmt(percentile(withClient.flat(), 50), 1)} / ${fmt(percentile(withClient.flat(), 99), 1)} | |`);
    console.log(`| … p50 / p99 without (ms) | ${fmt(percentile(without.flat(), 50), 1)} / ${fmt(percentile(without.flat(), 99), 1)} | |`);
    console.log(`| raw PostgreSQL (pgbench -c 8 -j 2): referral row + outbox row (tx/s) | ${fmt(raw.perSec, 0)} | baseline |`);
    console.log(`| create with inline client and consent, ${concurrency} concurrent (referrals/s) | ${fmt(creates.perSec, 0)} | |`);
    console.log(`| … as a share of raw (before consent: ${SHARE_BEFORE_CONSENT} %) | ${fmt(share, 1)} % | ≥ ${fmt(SHARE_BEFORE_CONSENT / 2, 1)} % |`);
    console.log(`| … latency p50 / p99 (ms) | ${fmt(percentile(creates.latencies, 50), 1)} / ${fmt(percentile(creates.latencies, 99), 1)} | |`);
  } finally {
    await cache.onApplicationShutdown();
    await nats.connection.close();
    for (const service of services.reverse()) await service.stop();
    close();
    await deleteTestStreams(prefix);
    await dropDatabases(Object.values(databases));
  }
}
