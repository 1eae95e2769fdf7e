import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { connect } from 'nats';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DirectoryAppModule } from '../../apps/directory/src/directory-app.module';
import { DirectoryConfig } from '../../apps/directory/src/directory.config';
import { ReportingAppModule } from '../../apps/reporting/src/reporting-app.module';
import { ReportingConfig } from '../../apps/reporting/src/reporting.config';
import { SigningKeys } from '../../apps/directory/src/oauth/signing-keys';
import { NatsClient } from '@nwd/messaging';
import { AuthorizedNatsServer, bootService, natsUrl, pollUntil, ServiceUnderTest, TestNetwork, testNatsPrefix } from '@nwd/testing';
import { PROBE_TABLES, ProbeAppModule, ProbeConfig, probeHappened } from '../../libs/messaging/test/probe-app';

const bootReporting = (env: Record<string, unknown>) =>
  bootService({ service: 'reporting', config: ReportingConfig, module: (c) => ReportingAppModule.forRoot(c), env });

describe('forwarded addresses', () => {
  const services: ServiceUnderTest<ReportingConfig>[] = [];
  afterAll(async () => {
    for (const svc of services) await svc.close();
  });

  it('are ignored unless a trusted proxy sent them: claiming a new X-Forwarded-For per request does not reset the limit', async () => {
    const svc = await bootReporting({ NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: 2 });
    services.push(svc);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.2').expect(200);
    const refused = await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.3').expect(429);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate-limit.exceeded' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('do not reset the limit of the open HSDS data either', async () => {
    const svc = await bootService({
      service: 'directory',
      config: DirectoryConfig,
      module: (c) => DirectoryAppModule.forRoot(c),
      env: { NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: 2 },
    });
    services.push(svc as unknown as ServiceUnderTest<ReportingConfig>);
    await request(svc.server).get('/hsds/services').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(svc.server).get('/hsds/taxonomies').set('x-forwarded-for', '203.0.113.2').expect(200);
    await request(svc.server).get('/hsds/services').set('x-forwarded-for', '203.0.113.3').expect(429);
  });

  it('name the caller when they come from a trusted proxy (here loopback), each address with its own limit', async () => {
    const svc = await bootReporting({ NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: 2, NWD_TRUSTED_PROXIES: 'loopback' });
    services.push(svc);
    for (let i = 0; i < 2; i++) await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.1').expect(429);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.2').expect(200);
    // What a client put before the gateway's entry is not believed beyond the trusted hops.
    await request(svc.server).get('/health').set('x-forwarded-for', '198.51.100.7, 203.0.113.1').expect(429);
  });

  it('are set by the gateway to the caller’s own address, and the services behind it trust that one hop', () => {
    const root = join(__dirname, '../..');
    const nginx = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).not.toContain('$proxy_add_x_forwarded_for');
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toMatch(/NWD_TRUSTED_PROXIES: "1"/);
  });

  it('can be trusted by hop count, the docker-compose setting behind the gateway', async () => {
    const svc = await bootReporting({ NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: 1, NWD_TRUSTED_PROXIES: '1' });
    services.push(svc);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.2').expect(200);
    await request(svc.server).get('/health').set('x-forwarded-for', '203.0.113.2').expect(429);
  });
});

describe('requests without a valid token', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await TestNetwork.start([]);
  });
  afterAll(() => network?.close());

  it('are counted against the address, failed ones too: a bad token gets 401 until the limit, then 429; valid clients carry on', async () => {
    const svc = await network.startService('reporting', { NWD_CREDENTIAL_RATE_LIMIT_PER_MINUTE: 3 });
    const member = await network.organization();
    const whoami = (token?: string) => {
      const req = request(svc.server).get('/v1/whoami');
      return token ? req.auth(token, { type: 'bearer' }) : req;
    };
    await whoami('not-a-jwt').expect(401);
    await whoami().expect(401);
    await whoami(member.token.slice(0, -4) + 'AAAA').expect(401);
    const refused = await whoami('not-a-jwt').expect(429);
    expect(refused.body.code).toBe('rate-limit.exceeded');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await whoami(member.token).expect(200);
  });

  it('share one per-address budget with public routes, separate from the clients’ own', async () => {
    const svc = await network.startService('reporting', { NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: 2 });
    const member = await network.organization();
    await request(svc.server).get('/health').expect(200);
    await request(svc.server).get('/v1/whoami').auth('not-a-jwt', { type: 'bearer' }).expect(401);
    await request(svc.server).get('/health').expect(429);
    await request(svc.server).get('/v1/whoami').auth(member.token, { type: 'bearer' }).expect(200);
  });

  it('get a stable 401 detail that does not echo the verifier (no "invalid signature", no expected issuer or audience)', async () => {
    const org = await network.organization();
    const key = await network.service('directory').app.get(SigningKeys).current();
    const signed = (issuer: string, audience: string) =>
      new SignJWT({ org: org.id, roles: ['staff'] })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setSubject(org.clientId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key.privateKey);
    const [header, payload, signature] = org.token.split('.');
    const tampered = [header, Buffer.from(JSON.stringify({ sub: 'someone-else' })).toString('base64url'), signature].join('.');
    expect(decodeProtectedHeader(tampered).kid).toBe(key.kid);
    const tokens = [tampered, await signed('https://evil.example', 'no-wrong-door'), await signed('http://127.0.0.1:3002', 'another-network'), `${header}.${payload}.`];
    for (const token of tokens) {
      const res = await request(network.server('directory')).get('/v1/whoami').auth(token, { type: 'bearer' }).expect(401);
      expect(res.body).toMatchObject({ code: 'auth.token-invalid', detail: 'The access token is invalid' });
      expect(JSON.stringify(res.body)).not.toMatch(/signature|expected|no-wrong-door|127\.0\.0\.1:3002|jwt/i);
    }
  });

  it('keep the codes of our own refusals: not a JWT, or signed by a key the network does not have', async () => {
    const svc = await network.startService('reporting');
    const garbage = await request(svc.server).get('/v1/whoami').auth('not-a-jwt', { type: 'bearer' }).expect(401);
    expect(garbage.body).toMatchObject({ code: 'auth.token-malformed', detail: 'The access token is not a JWT' });
    const [, payload, signature] = (await network.organization()).token.split('.');
    const strangerHeader = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'not-a-key-of-ours' })).toString('base64url');
    const stranger = await request(svc.server).get('/v1/whoami').auth(`${strangerHeader}.${payload}.${signature}`, { type: 'bearer' }).expect(401);
    expect(stranger.body).toMatchObject({ code: 'auth.unknown-signing-key' });
  });
});

describe('/metrics', () => {
  const token = `metrics-${'t'.repeat(40)}`;
  const services: ServiceUnderTest<ReportingConfig>[] = [];
  // Production also means NATS with the service's own credentials, as docker-compose runs it.
  let nats: AuthorizedNatsServer;
  beforeAll(async () => {
    nats = await AuthorizedNatsServer.start();
  });
  afterAll(async () => {
    for (const svc of services) await svc.close();
    await nats?.dispose();
  });
  const bootInProduction = async (env: Record<string, unknown>) => {
    const natsPrefix = testNatsPrefix();
    const svc = await bootService({
      service: 'reporting',
      config: ReportingConfig,
      module: (c) => ReportingAppModule.forRoot(c),
      natsPrefix,
      env: { NODE_ENV: 'production', NATS_URL: nats.url, NWD_NATS_CREDS_FILE: await nats.credentialsFile('reporting', natsPrefix), ...env },
    });
    services.push(svc);
    return svc;
  };

  it('in production answers only the configured bearer token', async () => {
    const svc = await bootInProduction({ NWD_METRICS_TOKEN: token });
    const anonymous = await request(svc.server).get('/metrics').expect(401);
    expect(anonymous.body.code).toBe('metrics.token-required');
    await request(svc.server).get('/metrics').auth(`${token}x`, { type: 'bearer' }).expect(401);
    await request(svc.server).get('/metrics').auth(token, { type: 'basic' } as never).expect(401);
    const scraped = await request(svc.server).get('/metrics').auth(token, { type: 'bearer' }).expect(200);
    expect(scraped.text).toContain('http_request_duration_seconds');
  });

  it('in production without a token configured answers nobody', async () => {
    const svc = await bootInProduction({});
    await request(svc.server).get('/metrics').expect(401);
    await request(svc.server).get('/metrics').auth(token, { type: 'bearer' }).expect(401);
  });
});

describe('a request id chosen by an HTTP caller', () => {
  let svc: ServiceUnderTest<ReportingConfig>;
  beforeAll(async () => {
    svc = await bootReporting({});
  });
  afterAll(() => svc?.close());

  it.each([
    ['too long', 'x'.repeat(129)],
    ['unsafe', 'id"with<markup>'],
  ])('is replaced with a fresh one when it is %s', async (_, given) => {
    const res = await request(svc.server).get('/no-such-route').set('x-request-id', given).expect(404);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('a request id chosen by a NATS publisher', () => {
  let svc: ServiceUnderTest<ProbeConfig>;
  beforeAll(async () => {
    svc = await bootService({ service: 'reporting', config: ProbeConfig, module: (c) => ProbeAppModule.forRoot(c) });
    await svc.app.get(DataSource).query(PROBE_TABLES);
  });
  afterAll(() => svc?.close());

  it('is replaced with a fresh one before the handler logs or writes it when it is long or unsafe', async () => {
    const nc = await connect({ servers: natsUrl() });
    try {
      const probeId = randomUUID();
      const envelope = {
        id: randomUUID(),
        type: probeHappened.subject,
        source: 'probe',
        occurredAt: new Date().toISOString(),
        requestId: `forged\n{"level":"fatal"}${'x'.repeat(5000)}`,
        data: { probeId, behaviour: 'ok' },
      };
      const subject = svc.app.get(NatsClient).subject(probeHappened.subject);
      await nc.jetstream().publish(subject, new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });
      const [row] = await pollUntil(
        (): Promise<{ request_id: string }[]> => svc.app.get(DataSource).query('SELECT request_id FROM probe_handled WHERE probe_id = $1', [probeId]),
        (rows) => rows.length === 1,
        { what: 'the probe event handled' },
      );
      expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await nc.close();
    }
  });
});
