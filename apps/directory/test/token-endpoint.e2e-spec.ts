import { decodeJwt } from 'jose';
import request from 'supertest';
import { TestNetwork } from '@nwd/testing';

const ATTACKER = '203.0.113.66';
const ANOTHER = '198.51.100.23';

describe('the token endpoint under attack', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await TestNetwork.start([], {
      env: {
        directory: {
          // Tests choose their address through X-Forwarded-For; the harness itself calls from loopback.
          NWD_TRUSTED_PROXIES: 'loopback',
          NWD_TOKEN_FAILURES_BEFORE_BACKOFF: 3,
          NWD_SECRET_CHECK_CONCURRENCY: 1,
          NWD_SECRET_CHECK_QUEUE_LIMIT: 1,
        },
      },
    });
  });
  afterAll(() => network?.close());

  const tokenRequest = (clientId: string, clientSecret: string, from?: string) => {
    const req = request(network.server('directory')).post('/oauth/token');
    if (from) req.set('x-forwarded-for', from);
    return req.send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  };

  it('locks a client id after repeated wrong secrets, for every address but the ones the client itself uses, and for a bounded time', async () => {
    const org = await network.organization(); // its first token came from loopback
    for (let i = 0; i < 3; i++) await tokenRequest(org.clientId, 'guess-' + i, ATTACKER).expect(401);
    const locked = await tokenRequest(org.clientId, org.clientSecret, ATTACKER).expect(429);
    expect(locked.body).toMatchObject({ status: 429, code: 'oauth.too-many-failures', error: 'temporarily_unavailable' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Per client id, not per address: a second attacker address gets no fresh tries.
    await tokenRequest(org.clientId, 'guess-x', ANOTHER).expect(429);
    // The integration's own address keeps working.
    await tokenRequest(org.clientId, org.clientSecret).expect(200);
    // And the lock ends: the right secret is accepted from anywhere once it has passed.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    await tokenRequest(org.clientId, org.clientSecret, ANOTHER).expect(200);
  });

  it('treats unknown client ids like known ones, so a lock reveals nothing about which exist', async () => {
    for (let i = 0; i < 3; i++) await tokenRequest('nobody-like-this', 'guess-' + i, ATTACKER).expect(401);
    const locked = await tokenRequest('nobody-like-this', 'guess', ATTACKER).expect(429);
    expect(locked.body.code).toBe('oauth.too-many-failures');
  });

  it('bounds the scrypt work: beyond the running and waiting checks it answers 429 at once, unknown client ids included', async () => {
    const org = await network.organization();
    const unknown = await Promise.all(Array.from({ length: 6 }, (_, i) => tokenRequest(`unknown-${i}-${Date.now()}`, 'x'.repeat(30), `192.0.2.${i}`)));
    const busy = unknown.filter((res) => res.status === 429);
    expect(unknown.map((res) => res.status).filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.body).toMatchObject({ code: 'oauth.busy', error: 'temporarily_unavailable' });
    expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const known = await Promise.all(Array.from({ length: 6 }, () => tokenRequest(org.clientId, org.clientSecret)));
    const statuses = known.map((res) => res.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    // A refusal for load is not a failed secret: the client is not backed off for it.
    await tokenRequest(org.clientId, org.clientSecret, ANOTHER).expect(200);
  });

  it('counts token requests per address in the credential budget, whatever X-Forwarded-For an untrusted caller claims', async () => {
    const limited = await network.startService('directory', { NWD_CREDENTIAL_RATE_LIMIT_PER_MINUTE: 2, NWD_TRUSTED_PROXIES: '' });
    const send = (from: string) =>
      request(limited.server)
        .post('/oauth/token')
        .set('x-forwarded-for', from)
        .send({ grant_type: 'client_credentials', client_id: `x-client-${from}`, client_secret: 'y' });
    await send('192.0.2.10').expect(401);
    await send('192.0.2.11').expect(401);
    const refused = await send('192.0.2.12').expect(429);
    expect(refused.body.code).toBe('rate-limit.exceeded');
  });
});

describe('a client’s own rate limit', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await TestNetwork.start([]);
  });
  afterAll(() => network?.close());

  const patch = (organizationId: string, clientId: string, token: string, body: object) =>
    request(network.server('directory')).patch(`/v1/organizations/${organizationId}/clients/${clientId}`).auth(token, { type: 'bearer' }).send(body);

  it('is set by a network admin, carried in the client’s next token and applied by every service', async () => {
    const reporting = await network.startService('reporting');
    const integration = await network.organization({ kind: 'health-system', roles: ['system'] });
    const neighbour = await network.organization();
    const updated = await patch(integration.id, integration.clientId, network.adminToken, { rateLimitPerMinute: 4 }).expect(200);
    expect(updated.body).toMatchObject({ id: integration.clientId, rateLimitPerMinute: 4 });
    expect(updated.body).not.toHaveProperty('secretHash');

    // The token issued before the change keeps the default; the next one carries the limit.
    await request(reporting.server).get('/v1/whoami').auth(integration.token, { type: 'bearer' }).expect(200);
    const token = await network.token(integration.clientId, integration.clientSecret);
    expect(decodeJwt(token).rate_limit).toBe(4);
    for (let i = 0; i < 3; i++) await request(reporting.server).get('/v1/whoami').auth(token, { type: 'bearer' }).expect(200);
    const refused = await request(reporting.server).get('/v1/whoami').auth(token, { type: 'bearer' }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await request(reporting.server).get('/v1/whoami').auth(neighbour.token, { type: 'bearer' }).expect(200);

    const listed = await request(network.server('directory')).get(`/v1/organizations/${integration.id}/clients`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(listed.body.data[0]).toMatchObject({ id: integration.clientId, rateLimitPerMinute: 4 });
    const audit = await request(network.server('directory')).get(`/v1/audit-events?targetId=${integration.clientId}`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(audit.body.data[0]).toMatchObject({
      action: 'client.updated',
      actorSubject: network.adminClientId,
      details: { organizationId: integration.id, rateLimitPerMinute: { from: null, to: 4 } },
    });

    await patch(integration.id, integration.clientId, network.adminToken, { rateLimitPerMinute: null }).expect(200);
    expect(decodeJwt(await network.token(integration.clientId, integration.clientSecret))).not.toHaveProperty('rate_limit');
  });

  it('is capped by each service at its network maximum, whatever the token says', async () => {
    const capped = await network.startService('reporting', { NWD_RATE_LIMIT_MAX_PER_MINUTE: 2 });
    const org = await network.organization();
    await patch(org.id, org.clientId, network.adminToken, { rateLimitPerMinute: 50 }).expect(200);
    const token = await network.token(org.clientId, org.clientSecret);
    for (let i = 0; i < 2; i++) await request(capped.server).get('/v1/whoami').auth(token, { type: 'bearer' }).expect(200);
    await request(capped.server).get('/v1/whoami').auth(token, { type: 'bearer' }).expect(429);
  });

  it('refuses a limit beyond the network maximum or not a positive integer with 400 naming the field, and changes nothing', async () => {
    const org = await network.organization();
    for (const rateLimitPerMinute of [60_001, 0, 2.5, 'lots']) {
      const res = await patch(org.id, org.clientId, network.adminToken, { rateLimitPerMinute }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['rateLimitPerMinute']);
    }
    const missing = await patch(org.id, org.clientId, network.adminToken, {}).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['rateLimitPerMinute']);
    expect(decodeJwt(await network.token(org.clientId, org.clientSecret))).not.toHaveProperty('rate_limit');
  });

  it('is for network admins only: an organization’s own admin cannot raise its limit', async () => {
    const orgAdmin = await network.organization({ roles: ['org-admin'] });
    const res = await patch(orgAdmin.id, orgAdmin.clientId, orgAdmin.token, { rateLimitPerMinute: 50_000 }).expect(403);
    expect(res.body.code).toBe('auth.role-required');
    await patch(orgAdmin.id, 'no-such-client', network.adminToken, { rateLimitPerMinute: 10 }).expect(404);
  });
});
