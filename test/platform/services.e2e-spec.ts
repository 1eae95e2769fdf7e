import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ConsentAppModule } from '../../apps/consent/src/consent-app.module';
import { ConsentConfig } from '../../apps/consent/src/consent.config';
import { DirectoryAppModule } from '../../apps/directory/src/directory-app.module';
import { DirectoryConfig } from '../../apps/directory/src/directory.config';
import { NotificationsAppModule } from '../../apps/notifications/src/notifications-app.module';
import { NotificationsConfig } from '../../apps/notifications/src/notifications.config';
import { ReferralAppModule } from '../../apps/referral/src/referral-app.module';
import { ReferralConfig } from '../../apps/referral/src/referral.config';
import { ReportingAppModule } from '../../apps/reporting/src/reporting-app.module';
import { ReportingConfig } from '../../apps/reporting/src/reporting.config';
import { BaseConfig } from '@nwd/config';
import { bootService, pollUntil, ServiceName, ServiceUnderTest, TestNatsServer } from '@nwd/testing';
import { DynamicModule } from '@nestjs/common';

const SERVICES: [ServiceName, new () => BaseConfig, (c: any) => DynamicModule, number][] = [
  ['referral', ReferralConfig, (c) => ReferralAppModule.forRoot(c), 3001],
  ['directory', DirectoryConfig, (c) => DirectoryAppModule.forRoot(c), 3002],
  ['consent', ConsentConfig, (c) => ConsentAppModule.forRoot(c), 3003],
  ['notifications', NotificationsConfig, (c) => NotificationsAppModule.forRoot(c), 3004],
  ['reporting', ReportingConfig, (c) => ReportingAppModule.forRoot(c), 3005],
];

/** Which upstream deploy/nginx.conf sends a path to: the longest matching `location` prefix. */
function gatewayUpstream(path: string): string | undefined {
  const conf = readFileSync(join(__dirname, '../../deploy/nginx.conf'), 'utf8');
  const routes = [...conf.matchAll(/location\s+(=\s+)?(\S+)\s*\{\s*proxy_pass http:\/\/(\w+);/g)].map((m) => ({
    exact: Boolean(m[1]),
    prefix: m[2]!,
    upstream: m[3]!,
  }));
  const matching = routes.filter((r) => (r.exact ? path === r.prefix : path.startsWith(r.prefix)));
  return matching.sort((a, b) => b.prefix.length - a.prefix.length)[0]?.upstream;
}

describe.each(SERVICES)('%s service', (service, config, module, defaultPort) => {
  let svc: ServiceUnderTest<BaseConfig>;
  beforeAll(async () => {
    svc = await bootService({ service, config, module });
  });
  afterAll(() => svc?.close());

  it(`defaults to port ${defaultPort}`, () => {
    expect(new config().PORT).toBe(defaultPort);
  });

  it('reports its database and NATS as up on /health', async () => {
    const res = await request(svc.server).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', service, components: { database: 'up', nats: 'up' } });
  });

  it('serves its OpenAPI document and Swagger UI at /docs', async () => {
    const doc = await request(svc.server).get('/docs/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/health']).toBeDefined();
    const ui = await request(svc.server).get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('is reached through the gateway for every path it serves (service prefixes are disjoint)', async () => {
    const doc = await request(svc.server).get('/docs/openapi.json').expect(200);
    const shared = new Set(['/health', '/v1/whoami']);
    for (const path of Object.keys(doc.body.paths).filter((p) => !shared.has(p))) {
      expect({ path, upstream: gatewayUpstream(path) }).toEqual({ path, upstream: service });
    }
  });

  it('exposes Prometheus metrics including HTTP latency', async () => {
    await request(svc.server).get('/health');
    const res = await request(svc.server).get('/metrics').expect(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
  });

  it('answers unknown routes with a problem document and security headers', async () => {
    const res = await request(svc.server).get('/no-such-route').set('x-request-id', 'req-123').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'route.not-found', requestId: 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});

describe('/health with NATS down', () => {
  it('answers 503 naming the component that is down, and 200 again once it returns', async () => {
    const nats = await TestNatsServer.start();
    const svc = await bootService({ service: 'reporting', config: ReportingConfig, module: (c) => ReportingAppModule.forRoot(c), env: { NATS_URL: nats.url } });
    try {
      await request(svc.server).get('/health').expect(200);
      await nats.stop();
      const down = await pollUntil(() => request(svc.server).get('/health'), (r) => r.status === 503, { what: '503' });
      expect(down.body.components).toEqual({ database: 'up', nats: 'down' });
      await nats.restart();
      await pollUntil(() => request(svc.server).get('/health'), (r) => r.status === 200, { what: '200 after restart' });
    } finally {
      await svc.close();
      await nats.dispose();
    }
  });
});

describe('boot with a bad configuration', () => {
  it.each([
    ['PORT', 'not-a-port'],
    ['DATABASE_URL', 'mysql://x'],
    ['NATS_URL', 'http://nats'],
    ['NWD_JWKS_URL', 'not a url'],
  ])('exits non-zero naming %s', (variable, value) => {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/referral/src/main.ts'], {
      cwd: `${__dirname}/../..`,
      env: { ...process.env, [variable]: value },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const fatal = JSON.parse(result.stderr.trim().split('\n').pop()!);
    expect(fatal.level).toBe('fatal');
    expect(fatal.invalidVariables.map((v: { variable: string }) => v.variable)).toEqual([variable]);
    expect(fatal.msg).toContain(variable);
  });
});
