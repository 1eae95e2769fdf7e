import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';

import {
  DatabaseSnapshot,
  DatabaseSnapshotter,
  FuzzContext,
  FuzzRequest,
  malformedRequests,
  OpenApiDocument,
  operationsOf,
  pollUntil,
  ServiceName,
  snapshotDifferences,
  TestNetwork,
  TestOrganization,
} from '@nwd/testing';

/**
 * A read that discloses a client's data to another organization is recorded as it happens (issue
 * 12): the accounting of disclosures is the one thing a successful GET writes.
 */
const accountsForRead = (service: ServiceName, change: string) => service === 'consent' && /^disclosure(_chain_head)? /.test(change);

/** Identified referrals need the client's consent for the receiver (issue 12). */
const VERBAL = { method: 'verbal-attested', categories: ['contact', 'demographics'], attestedBy: 'Test Navigator' };

/**
 * Thousands of malformed requests, generated from each service's own OpenAPI document, against
 * the five services on their own databases: no 5xx, every refusal a problem document, and nothing
 * written by a request that was refused. `FUZZ_SEED` and `FUZZ_RUNS` (per operation) reproduce a
 * run, `FUZZ_OPERATION` narrows it to one operation; the seed of each operation is printed with any
 * failure.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 60);
/** E.g. `FUZZ_OPERATION="POST /v1/referrals"`: only that operation, to reproduce one finding. */
const ONLY_OPERATION = process.env.FUZZ_OPERATION;
const CONCURRENCY = 8;
const SERVICES: ServiceName[] = ['referral', 'directory', 'consent', 'notifications', 'reporting'];
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SERVICE_FULL = resolve(__dirname, '../../..', 'shared/fixtures/hsds/hsds-3.0-spec-examples/json/service_full.json');

/** A seed per operation, from the run's seed and the operation's name, so adding an endpoint does not reshuffle the others. */
function operationSeed(service: string, method: string, path: string): number {
  return createHash('sha256').update(`${SEED} ${service} ${method} ${path}`).digest().readInt32BE(0);
}

describe(`fuzzing every endpoint with malformed requests (FUZZ_SEED=${SEED}, ${RUNS_PER_OPERATION} per operation)`, () => {
  let network: TestNetwork;
  let snapshotters: Map<ServiceName, DatabaseSnapshotter>;
  let context: FuzzContext;
  let sender: TestOrganization;
  let receiver: TestOrganization;
  let referralId: string;
  const serviceFull = JSON.parse(readFileSync(SERVICE_FULL, 'utf8'));

  beforeAll(async () => {
    // The fuzzer is one client sending thousands of requests a minute: the limit would answer 429 to most of them.
    const env = { NWD_RATE_LIMIT_PER_MINUTE: 10_000_000 };
    network = await TestNetwork.start(['referral', 'consent', 'notifications', 'reporting'], {
      env: Object.fromEntries(SERVICES.map((s) => [s, env])),
    });
    sender = await network.organization({ kind: 'health-system' });
    receiver = await network.organization({ kind: 'cbo' });
    const orgAdmin = await network.client(receiver.id, ['org-admin']);
    const system = await network.client(sender.id, ['system']);

    const imported = await request(network.server('directory'))
      .post('/v1/directory/imports')
      .auth(network.adminToken, { type: 'bearer' })
      .send({ services: [serviceFull], maintainerOrganizationId: receiver.id });
    if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
    const hsds = async (path: string) => (await request(network.server('directory')).get(path)).body.contents?.[0]?.id as string | undefined;
    const taxonomyId = await hsds('/hsds/taxonomies');
    const taxonomyTermId = await hsds('/hsds/taxonomy_terms');

    const referral = await request(network.server('referral'))
      .post('/v1/referrals')
      .auth(sender.token, { type: 'bearer' })
      .send({
        receivingOrganizationId: receiver.id,
        client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14' },
        consent: VERBAL,
        needs: ['food-insecurity'],
      });
    if (referral.status !== 201) throw new Error(`referral: ${referral.status} ${JSON.stringify(referral.body)}`);
    referralId = referral.body.id;

    const known: [RegExp, Record<string, string | undefined>][] = [
      [/^\/v1\/organizations\//, { id: receiver.id, clientId: receiver.clientId }],
      [/^\/v1\/referrals\//, { id: referralId }],
      [/^\/(hsds|v1\/directory)\/services\//, { id: serviceFull.id }],
      [/^\/hsds\/organizations\//, { id: serviceFull.organization.id }],
      [/^\/hsds\/service_at_locations\//, { id: serviceFull.service_at_locations[0].id }],
      [/^\/v1\/directory\/locations\//, { id: serviceFull.service_at_locations[0].location.id }],
      [/^\/hsds\/taxonomies\//, { id: taxonomyId }],
      [/^\/hsds\/taxonomy_terms\//, { id: taxonomyTermId }],
      [/^\/v1\/directory\/export\//, { file: 'services.csv' }],
    ];
    const bodyValues: Record<string, unknown> = {
      receivingOrganizationId: receiver.id,
      maintainerOrganizationId: receiver.id,
      grant_type: 'client_credentials',
      client_id: receiver.clientId,
      client_secret: 'not-the-secret',
    };
    context = {
      tokens: {
        'network-admin': network.adminToken,
        'org-admin': orgAdmin.token,
        'staff (receiver)': receiver.token,
        'staff (sender)': sender.token,
        system: system.token,
      },
      knownPathValue: (path, param) => known.find(([pattern]) => pattern.test(path))?.[1][param],
      knownBodyValue: (property) => bodyValues[property],
    };

    snapshotters = new Map();
    for (const service of SERVICES) snapshotters.set(service, await DatabaseSnapshotter.connect(network.service(service).database.url));
    await settled();
  }, 120_000);

  afterAll(async () => {
    for (const snapshotter of snapshotters?.values() ?? []) await snapshotter.close().catch(() => undefined);
    await network?.close();
  });

  async function snapshotAll(): Promise<Record<string, DatabaseSnapshot>> {
    const entries = await Promise.all([...snapshotters].map(async ([service, s]) => [service, await s.snapshot()] as const));
    return Object.fromEntries(entries);
  }

  /**
   * Waits until earlier writes have run their course everywhere: every outbox relayed, and the
   * databases unchanged over a second (consumers write their inbox rows and projections after the relay).
   */
  async function settled(): Promise<void> {
    let previous = '';
    let stableSince = Date.now();
    await pollUntil(
      async () => {
        const unpublished = await Promise.all([...snapshotters.values()].map((s) => s.unpublishedEvents()));
        const current = JSON.stringify(await snapshotAll());
        if (current !== previous || unpublished.some((n) => n > 0)) stableSince = Date.now();
        previous = current;
        return Date.now() - stableSince;
      },
      (stableFor) => stableFor >= 1000,
      { timeoutMs: 30_000, intervalMs: 200, what: 'the databases to stop changing' },
    );
  }

  async function send(service: ServiceName, fuzz: FuzzRequest) {
    return network.service(service).app.inject({
      method: fuzz.method,
      url: fuzz.url,
      headers: fuzz.headers,
      ...(fuzz.payload !== undefined && { payload: fuzz.payload }),
    });
  }

  /** What is wrong with one answer, if anything. */
  function verdict(fuzz: FuzzRequest, status: number, contentType: string, text: string): string | undefined {
    if (status >= 500) return `${status}: ${text.slice(0, 300)}`;
    if (status >= 400) {
      if (!contentType.includes('application/problem+json')) return `${status} without a problem document (${contentType})`;
      const problem = JSON.parse(text) as Record<string, unknown>;
      if (problem.status !== status || typeof problem.code !== 'string' || typeof problem.type !== 'string' || typeof problem.title !== 'string') {
        return `${status} with a malformed problem document: ${text.slice(0, 300)}`;
      }
      if (problem.code === 'request.validation-failed' && !(Array.isArray(problem.errors) && problem.errors.length)) return `validation failure naming no field: ${text}`;
      return undefined;
    }
    if (fuzz.mustRefuse && WRITES.has(fuzz.method)) return `malformed write accepted with ${status}: ${text.slice(0, 200)}`;
    return undefined;
  }

  async function fuzzService(service: ServiceName): Promise<{ operations: number; sent: number; statuses: Record<number, number>; failures: string[] }> {
    const doc = (await request(network.server(service)).get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    const operations = operationsOf(doc).filter((o) => !ONLY_OPERATION || `${o.method} ${o.path}` === ONLY_OPERATION);
    for (const operation of operations) {
      const seed = operationSeed(service, operation.method, operation.path);
      const requests = fc.sample(malformedRequests(operation, context), { seed, numRuns: RUNS_PER_OPERATION });
      const before = await snapshotAll();
      const found: string[] = [];
      for (let i = 0; i < requests.length; i += CONCURRENCY) {
        await Promise.all(
          requests.slice(i, i + CONCURRENCY).map(async (fuzz) => {
            const res = await send(service, fuzz);
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            const problem = verdict(fuzz, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
            if (problem) found.push(`${fuzz.mutation} [${fuzz.credential}] ${fuzz.url.slice(0, 120)} → ${problem}`);
          }),
        );
      }
      sent += requests.length;
      const after = await snapshotAll();
      for (const name of SERVICES) {
        const changed = snapshotDifferences(before[name]!, after[name]!).filter((change) => !(operation.method === 'GET' && accountsForRead(name, change)));
        if (changed.length) found.push(`wrote to ${name}: ${changed.join(', ')}`);
      }
      // One line per distinct finding, not sixty: the first of each is enough to reproduce with the seed.
      for (const finding of [...new Set(found)].slice(0, 8)) failures.push(`${service} ${operation.method} ${operation.path} (seed ${seed}): ${finding}`);
    }
    return { operations: operations.length, sent, statuses, failures };
  }

  describe('the cases of the security review, each a 400 naming the field and writing nothing', () => {
    const nul = 'a\u0000b';
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    type Case = { service: ServiceName; method: FuzzRequest['method']; url: () => string; token?: () => string; basic?: string; json?: unknown; payload?: () => string; form?: string; field: string };
    const cases: [string, Case][] = [
      ['a NUL byte in note text', { service: 'referral', method: 'POST', url: () => `/v1/referrals/${referralId}/notes`, token: () => receiver.token, json: { text: nul, visibility: 'shared' }, field: 'text' }],
      ['a NUL byte in a client name', {
        service: 'referral', method: 'POST', url: () => '/v1/referrals', token: () => sender.token,
        payload: () => JSON.stringify({ receivingOrganizationId: receiver.id, client: { givenName: nul, familyName: 'Delgado', birthDate: '1979-05-14' }, needs: ['food-insecurity'] }),
        field: 'client.givenName',
      }],
      ['a NUL byte in an organization name', { service: 'directory', method: 'POST', url: () => '/v1/organizations', token: () => network.adminToken, json: { name: nul, kind: 'cbo' }, field: 'name' }],
      ['a NUL byte in a listing description', { service: 'directory', method: 'PATCH', url: () => `/v1/directory/services/${serviceFull.id}`, token: () => network.adminToken, json: { description: nul }, field: 'description' }],
      ['a NUL byte in search q', { service: 'directory', method: 'GET', url: () => '/v1/directory/search?q=a%00b', token: () => receiver.token, field: 'q' }],
      ['a NUL byte in HSDS search', { service: 'directory', method: 'GET', url: () => '/hsds/services?search=a%00b', field: 'search' }],
      ['a NUL byte in a JSON client_id', { service: 'directory', method: 'POST', url: () => '/oauth/token', json: { grant_type: 'client_credentials', client_id: nul, client_secret: 'x' }, field: 'client_id' }],
      ['a NUL byte in a form client_id', { service: 'directory', method: 'POST', url: () => '/oauth/token', form: 'grant_type=client_credentials&client_id=a%00b&client_secret=x', field: 'client_id' }],
      ['a NUL byte in an HTTP Basic client id', { service: 'directory', method: 'POST', url: () => '/oauth/token', basic: 'a\u0000b:x', form: 'grant_type=client_credentials', field: 'authorization' }],
      ['a form-encoded NUL byte in an HTTP Basic client id', { service: 'directory', method: 'POST', url: () => '/oauth/token', basic: 'a%00b:x', form: 'grant_type=client_credentials', field: 'authorization' }],
      ['JSON nested 10,000 deep', { service: 'directory', method: 'POST', url: () => '/v1/organizations', token: () => network.adminToken, payload: () => `{"name":${deep(10_000)},"kind":"cbo"}`, field: 'name.0.0' }],
      // A `constructor` key makes Fastify's parser scan the parsed body for prototype poisoning as well.
      ['JSON nested 500,000 deep, a body just under the 1 MiB limit', { service: 'directory', method: 'POST', url: () => '/v1/organizations', token: () => network.adminToken, payload: () => `{"constructor":{},"name":${deep(500_000)},"kind":"cbo"}`, field: 'constructor' }],
      ['HSDS page=1e20', { service: 'directory', method: 'GET', url: () => '/hsds/services?page=1e20', field: 'page' }],
      ['HSDS page=99999999999999999999', { service: 'directory', method: 'GET', url: () => '/hsds/taxonomies?page=99999999999999999999', field: 'page' }],
      ['audit before=99999999999999999999', { service: 'directory', method: 'GET', url: () => '/v1/audit-events?before=99999999999999999999', token: () => network.adminToken, field: 'before' }],
      ...(['constructor', 'hasOwnProperty', 'toString', 'prototype'] as const).map((key): [string, Case] => [
        `a body property named ${key}`,
        { service: 'directory', method: 'POST', url: () => '/v1/organizations', token: () => network.adminToken, payload: () => `{"name":"Fuzz","kind":"cbo","${key}":"x"}`, field: key },
      ]),
      ['a nested property named constructor', {
        service: 'referral', method: 'POST', url: () => '/v1/referrals', token: () => sender.token,
        payload: () => JSON.stringify({ receivingOrganizationId: receiver.id, client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', constructor: 'x' }, needs: ['food-insecurity'] }),
        field: 'client.constructor',
      }],
      ['a query parameter named __proto__', { service: 'directory', method: 'GET', url: () => '/v1/organizations?__proto__=x', token: () => network.adminToken, field: '__proto__' }],
      ['dryRun "maybe"', { service: 'directory', method: 'POST', url: () => '/v1/directory/imports', token: () => network.adminToken, json: { services: [serviceFull], dryRun: 'maybe' }, field: 'dryRun' }],
      ['an import with both services and tables', { service: 'directory', method: 'POST', url: () => '/v1/directory/imports', token: () => network.adminToken, json: { services: [serviceFull], tables: {} }, field: 'tables' }],
      ['an organization renamed to null', { service: 'directory', method: 'PATCH', url: () => `/v1/organizations/${receiver.id}`, token: () => network.adminToken, json: { name: null }, field: 'name' }],
      ['a PATCH whose body is null', { service: 'directory', method: 'PATCH', url: () => `/v1/directory/services/${serviceFull.id}`, token: () => network.adminToken, payload: () => 'null', field: 'body' }],
    ];

    it.each(cases)('%s', async (_name, c) => {
      const before = await snapshotAll();
      const headers: Record<string, string> = {};
      if (c.token) headers.authorization = `Bearer ${c.token()}`;
      if (c.basic) headers.authorization = `Basic ${Buffer.from(c.basic).toString('base64')}`;
      const payload = c.form ?? c.payload?.() ?? (c.json === undefined ? undefined : JSON.stringify(c.json));
      if (payload !== undefined) headers['content-type'] = c.form ? 'application/x-www-form-urlencoded' : 'application/json';
      const res = await network.service(c.service).app.inject({ method: c.method, url: c.url(), headers, ...(payload !== undefined && { payload }) });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.code).toBe('request.validation-failed');
      expect(problem.errors[0].field.startsWith(c.field)).toBe(true);
      expect(snapshotDifferences(before.referral!, (await snapshotAll()).referral!)).toEqual([]);
      expect(snapshotDifferences(before.directory!, (await snapshotAll()).directory!)).toEqual([]);
    });

    it('refuses __proto__ in a JSON body before it is parsed into an object', async () => {
      const res = await network.service('directory').app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: { authorization: `Bearer ${network.adminToken}`, 'content-type': 'application/json' },
        payload: '{"name":"Fuzz","kind":"cbo","__proto__":{"isAdmin":true}}',
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('answers a path parameter too long for the router with a problem document', async () => {
      const res = await network.service('directory').app.inject({ method: 'GET', url: `/hsds/services/${'x'.repeat(5000)}` });
      expect(res.statusCode).toBe(414);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 414, code: 'request.uri-too-long' });
    });

    it('answers a path it cannot decode with a problem document', async () => {
      const res = await network.service('directory').app.inject({ method: 'GET', url: '/hsds/services/%E0%A4%A' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 400, code: 'request.invalid' });
    });

    it.each([
      [false, 'false'],
      [false, false],
      [true, 'true'],
      [true, true],
    ])('reads dryRun %s from %p', async (dryRun, given) => {
      const res = await request(network.server('directory'))
        .post('/v1/directory/imports')
        .auth(network.adminToken, { type: 'bearer' })
        .send({ services: [serviceFull], maintainerOrganizationId: receiver.id, dryRun: given });
      expect(res.status).toBe(200);
      expect(res.body.applied).toBe(!dryRun);
    });
  });

  it.each(SERVICES)('%s: no 5xx, every refusal a problem document, nothing written by a refused request', async (service) => {
    await settled();
    const { operations, sent, statuses, failures } = await fuzzService(service);
    process.stdout.write(`fuzz ${service} (FUZZ_SEED=${SEED}): ${sent} requests to ${operations} operations, by status ${JSON.stringify(statuses)}\n`);
    expect(sent).toBe(operations * RUNS_PER_OPERATION);
    // Most requests get past authentication (a 403 did: the token was verified, its roles refused,
    // as for a service whose routes are org-admin only, such as the notifications service's).
    if (!ONLY_OPERATION) {
      expect(operations).toBeGreaterThanOrEqual(2);
      expect(sent - (statuses[401] ?? 0)).toBeGreaterThan(sent / 2);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
