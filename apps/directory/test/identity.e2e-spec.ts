import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import { DirectoryRequests } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MessagingClient } from '@nwd/messaging';
import { pollUntil, ServiceName, TestNetwork, TestOrganization } from '@nwd/testing';
import { SigningKeys } from '../src/oauth/signing-keys';

const run = promisify(execFile);
const ALL_SERVICES: ServiceName[] = ['referral', 'directory', 'consent', 'notifications', 'reporting'];

describe('network identity and auth', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start(['referral', 'consent', 'notifications', 'reporting']);
  });
  afterAll(() => network?.close());

  const whoami = (service: ServiceName, token?: string) => {
    const req = request(network.server(service)).get('/v1/whoami');
    return token ? req.auth(token, { type: 'bearer' }) : req;
  };

  /** A token signed with the directory's real key, with the given claims changed. */
  async function signedByNetwork(org: TestOrganization, change: (jwt: SignJWT) => SignJWT): Promise<string> {
    const key = await network.service('directory').app.get(SigningKeys).current();
    const jwt = new SignJWT({ org: org.id, roles: ['staff'] })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setSubject(org.clientId)
      .setIssuer('http://127.0.0.1:3002')
      .setAudience('no-wrong-door')
      .setIssuedAt()
      .setExpirationTime('5m');
    return change(jwt).sign(key.privateKey);
  }

  describe('tokens', () => {
    let org: TestOrganization;
    beforeAll(async () => {
      org = await network.organization({ kind: 'cbo', roles: ['staff', 'system'] });
    });

    it('are issued for a JSON body, a form body and HTTP Basic, RS256-signed by a key in the JWKS, for at most 15 minutes', async () => {
      const directory = request(network.server('directory'));
      const json = await directory.post('/oauth/token').send({ grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret }).expect(200);
      const form = await directory
        .post('/oauth/token')
        .type('form')
        .send(`grant_type=client_credentials&client_id=${encodeURIComponent(org.clientId)}&client_secret=${encodeURIComponent(org.clientSecret)}`)
        .expect(200);
      const basic = await directory.post('/oauth/token').auth(org.clientId, org.clientSecret).type('form').send('grant_type=client_credentials').expect(200);
      const jwks = await directory.get('/.well-known/jwks.json').expect(200);
      for (const res of [json, form, basic]) {
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
        const header = decodeProtectedHeader(res.body.access_token);
        expect(header.alg).toBe('RS256');
        expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
        expect(jwks.body.keys[0]).not.toHaveProperty('d');
        const claims = decodeJwt(res.body.access_token);
        expect(claims).toMatchObject({ sub: org.clientId, org: org.id, roles: ['staff', 'system'], iss: 'http://127.0.0.1:3002', aud: 'no-wrong-door' });
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
      }
    });

    it.each([
      ['a missing grant_type', { client_id: 'x', client_secret: 'y' }, 400, 'invalid_request'],
      ['another grant type', { grant_type: 'password', username: 'a', password: 'b' }, 400, 'unsupported_grant_type'],
      ['no client credentials', { grant_type: 'client_credentials' }, 401, 'invalid_client'],
      ['an unknown client', { grant_type: 'client_credentials', client_id: 'nobody-here', client_secret: 'x'.repeat(30) }, 401, 'invalid_client'],
    ])('are refused for %s with the RFC 6749 error', async (_, body, status, error) => {
      const res = await request(network.server('directory')).post('/oauth/token').send(body).expect(status);
      expect(res.body).toMatchObject({ error, status, code: `oauth.${error.replace(/_/g, '-')}` });
    });

    it('are refused for a wrong secret', async () => {
      const res = await request(network.server('directory'))
        .post('/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret + 'x' })
        .expect(401);
      expect(res.body.error).toBe('invalid_client');
    });
  });

  describe('every service', () => {
    let org: TestOrganization;
    beforeAll(async () => {
      org = await network.organization({ kind: 'health-system', roles: ['staff'] });
    });

    it.each(ALL_SERVICES)('%s answers /v1/whoami with the caller’s organization, subject and roles', async (service) => {
      const res = await whoami(service, org.token).expect(200);
      expect(res.body).toEqual({ organizationId: org.id, subject: org.clientId, roles: ['staff'], service });
    });

    it.each(ALL_SERVICES)('%s refuses a request without a token with 401 and a Bearer challenge', async (service) => {
      const res = await whoami(service).expect(401);
      expect(res.body).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    it.each(ALL_SERVICES)('%s refuses expired, forged, tampered, unsigned, HMAC-confused, foreign-issuer and wrong-audience tokens', async (service) => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = await signedByNetwork(org, (jwt) => jwt.setIssuedAt(past - 600).setExpirationTime(past));
      const foreignIssuer = await signedByNetwork(org, (jwt) => jwt.setIssuer('https://evil.example'));
      const wrongAudience = await signedByNetwork(org, (jwt) => jwt.setAudience('another-network'));
      const kid = decodeProtectedHeader(org.token).kid!;
      const { privateKey: strangerKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ org: org.id, roles: ['network-admin'] })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject(org.clientId)
        .setIssuer('http://127.0.0.1:3002')
        .setAudience('no-wrong-door')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(strangerKey);
      const [header, payload, signature] = org.token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const tampered = [header, Buffer.from(JSON.stringify({ ...claims, roles: ['network-admin'] })).toString('base64url'), signature].join('.');
      const unsigned = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), payload, ''].join('.');
      const publicJwk = (await request(network.server('directory')).get('/.well-known/jwks.json')).body.keys[0];
      const hmacConfused = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));

      const cases = { expired, foreignIssuer, wrongAudience, forged, tampered, unsigned, hmacConfused, garbage: 'not-a-jwt' };
      for (const [name, token] of Object.entries(cases)) {
        const res = await whoami(service, token);
        expect({ name, status: res.status }).toEqual({ name, status: 401 });
      }
      expect((await whoami(service, expired)).body.code).toBe('auth.token-expired');
    });
  });

  describe('roles', () => {
    it('refuse a staff client network administration with 403 naming the roles required', async () => {
      const staff = await network.organization({ roles: ['staff'] });
      const res = await request(network.server('directory'))
        .post('/v1/organizations')
        .auth(staff.token, { type: 'bearer' })
        .send({ name: 'Sneaky', kind: 'cbo' })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'auth.role-required', detail: expect.stringContaining('network-admin') });
      await request(network.server('directory')).get('/v1/audit-events').auth(staff.token, { type: 'bearer' }).expect(403);
    });

    it('let an org admin manage its own organization’s clients but not another’s, and never grant network-admin', async () => {
      const orgAdmin = await network.organization({ roles: ['org-admin'] });
      const other = await network.organization();
      const directory = request(network.server('directory'));
      const own = await directory
        .post(`/v1/organizations/${orgAdmin.id}/clients`)
        .auth(orgAdmin.token, { type: 'bearer' })
        .send({ name: 'Intake desk', roles: ['staff'] })
        .expect(201);
      expect(own.body).toMatchObject({ organizationId: orgAdmin.id, roles: ['staff'], clientSecret: expect.stringMatching(/^nwd_/) });
      await directory.post(`/v1/organizations/${other.id}/clients`).auth(orgAdmin.token, { type: 'bearer' }).send({ name: 'x', roles: ['staff'] }).expect(403);
      const escalate = await directory
        .post(`/v1/organizations/${orgAdmin.id}/clients`)
        .auth(orgAdmin.token, { type: 'bearer' })
        .send({ name: 'x', roles: ['network-admin'] })
        .expect(403);
      expect(escalate.body.code).toBe('directory.role-not-grantable');
      await directory.patch(`/v1/organizations/${orgAdmin.id}`).auth(orgAdmin.token, { type: 'bearer' }).send({ status: 'suspended' }).expect(403);
      const renamed = await directory.patch(`/v1/organizations/${orgAdmin.id}`).auth(orgAdmin.token, { type: 'bearer' }).send({ name: 'Renamed by its admin' }).expect(200);
      expect(renamed.body.name).toBe('Renamed by its admin');
    });
  });

  describe('revocation reaches every service', () => {
    it('a revoked client’s still-valid token is refused by another service within 60 s, and it gets no new token', async () => {
      const org = await network.organization({ roles: ['staff'] });
      await whoami('referral', org.token).expect(200);
      await network.revoke(org.id, org.clientId);
      const refused = await pollUntil(() => whoami('referral', org.token), (r) => r.status === 401, { timeoutMs: 60_000, what: 'referral to refuse the revoked token' });
      expect(refused.body.code).toBe('auth.client-revoked');
      await whoami('directory', org.token).expect(401);
      await pollUntil(() => whoami('reporting', org.token), (r) => r.status === 401, { timeoutMs: 60_000 });
      await expect(network.token(org.clientId, org.clientSecret)).rejects.toThrow(/401/);
    });

    it('a suspended organization’s tokens are refused everywhere until it is reactivated', async () => {
      const org = await network.organization({ roles: ['staff'] });
      const second = await network.client(org.id, ['system']);
      await network.suspend(org.id);
      for (const token of [org.token, second.token]) {
        const refused = await pollUntil(() => whoami('consent', token), (r) => r.status === 401, { timeoutMs: 60_000 });
        expect(refused.body.code).toBe('auth.organization-suspended');
      }
      await expect(network.token(org.clientId, org.clientSecret)).rejects.toThrow(/401/);
      await request(network.server('directory')).patch(`/v1/organizations/${org.id}`).auth(network.adminToken, { type: 'bearer' }).send({ status: 'active' }).expect(200);
      await pollUntil(() => whoami('consent', org.token), (r) => r.status === 200, { timeoutMs: 60_000, what: 'reactivated token accepted' });
    });

    it('rotating a secret retires the old secret and the tokens issued with it', async () => {
      const org = await network.organization({ roles: ['staff'] });
      // The rotation, then the new token, must be from later seconds than the old token (iat has whole seconds).
      const clock = network.service('directory').clock;
      clock.advance(1100);
      const rotated = await request(network.server('directory'))
        .post(`/v1/organizations/${org.id}/clients/${org.clientId}/rotate`)
        .auth(network.adminToken, { type: 'bearer' })
        .expect(200);
      expect(rotated.body.clientSecret).not.toBe(org.clientSecret);
      await expect(network.token(org.clientId, org.clientSecret)).rejects.toThrow(/401/);
      clock.advance(1100);
      const fresh = await network.token(org.clientId, rotated.body.clientSecret);
      const refused = await pollUntil(() => whoami('notifications', org.token), (r) => r.status === 401, { timeoutMs: 60_000 });
      expect(refused.body.code).toBe('auth.client-rotated');
      await whoami('notifications', fresh).expect(200);
    });

    it('a service that boots after the revocation refuses the token from its first request', async () => {
      const org = await network.organization({ roles: ['staff'] });
      await network.revoke(org.id, org.clientId);
      await pollUntil(() => whoami('directory', org.token), (r) => r.status === 401);
      const late = await network.startService('reporting');
      const res = await request(late.server).get('/v1/whoami').auth(org.token, { type: 'bearer' }).expect(401);
      expect(res.body.code).toBe('auth.client-revoked');
    });
  });

  describe('organizations', () => {
    it('are created, listed, read and updated by a network admin, and answered to other services over NATS', async () => {
      const directory = request(network.server('directory'));
      const created = await directory.post('/v1/organizations').auth(network.adminToken, { type: 'bearer' }).send({ name: 'Second Harvest Food Bank', kind: 'cbo' }).expect(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'Second Harvest Food Bank', kind: 'cbo', status: 'active' });
      const member = await network.organization();
      const listed = await directory.get('/v1/organizations?name=harvest').auth(member.token, { type: 'bearer' }).expect(200);
      expect(listed.body.data.map((o: { id: string }) => o.id)).toContain(created.body.id);
      await directory.get(`/v1/organizations/${created.body.id}`).auth(member.token, { type: 'bearer' }).expect(200);
      const patched = await directory.patch(`/v1/organizations/${created.body.id}`).auth(network.adminToken, { type: 'bearer' }).send({ kind: 'coordinator' }).expect(200);
      expect(patched.body.kind).toBe('coordinator');

      const messaging = network.service('referral').app.get(MessagingClient);
      await expect(messaging.request(DirectoryRequests.getOrganization, { organizationId: created.body.id })).resolves.toEqual({
        id: created.body.id,
        name: 'Second Harvest Food Bank',
        kind: 'coordinator',
        status: 'active',
      });
      const missing = await messaging.request(DirectoryRequests.getOrganization, { organizationId: '0190a0a0-0000-7000-8000-000000000000' }).catch((e) => e);
      expect(missing).toBeInstanceOf(DomainError);
      expect(missing).toMatchObject({ code: 'directory.organization-not-found', kind: 'not-found' });
    });

    it('bad input → 400 naming each field, and nothing is written', async () => {
      const directory = request(network.server('directory'));
      const before = (await directory.get('/v1/organizations').auth(network.adminToken, { type: 'bearer' })).body.data.length;
      const res = await directory
        .post('/v1/organizations')
        .auth(network.adminToken, { type: 'bearer' })
        .send({ name: '', kind: 'church', extra: true })
        .expect(400);
      expect(res.body.code).toBe('request.validation-failed');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'kind', 'name']);
      const clients = await directory.post(`/v1/organizations/${(await network.organization()).id}/clients`).auth(network.adminToken, { type: 'bearer' }).send({ name: 'x', roles: ['boss'] }).expect(400);
      expect(clients.body.errors.map((e: { field: string }) => e.field)).toEqual(['roles']);
      const badId = await directory.get('/v1/organizations/not-a-uuid').auth(network.adminToken, { type: 'bearer' }).expect(400);
      expect(badId.body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
      const after = (await directory.get('/v1/organizations').auth(network.adminToken, { type: 'bearer' })).body.data.length;
      expect(after).toBe(before + 1); // only the organization created above for the clients check
    });

    it('an oversize body → 413 problem document', async () => {
      const res = await request(network.server('directory'))
        .post('/v1/organizations')
        .auth(network.adminToken, { type: 'bearer' })
        .send({ name: 'x'.repeat(1_100_000), kind: 'cbo' })
        .expect(413);
      expect(res.body).toMatchObject({ status: 413, code: 'request.too-large' });
    });
  });

  it('rate limits each client separately with 429 and Retry-After', async () => {
    const limited = await network.startService('reporting', { NWD_RATE_LIMIT_PER_MINUTE: 3 });
    const [a, b] = [await network.organization(), await network.organization()];
    for (let i = 0; i < 3; i++) await request(limited.server).get('/v1/whoami').auth(a.token, { type: 'bearer' }).expect(200);
    const res = await request(limited.server).get('/v1/whoami').auth(a.token, { type: 'bearer' }).expect(429);
    expect(res.body).toMatchObject({ status: 429, code: 'rate-limit.exceeded' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await request(limited.server).get('/v1/whoami').auth(b.token, { type: 'bearer' }).expect(200);
  });

  it('stamps a rotation and its audit record with the directory’s clock', async () => {
    const org = await network.organization({ roles: ['staff'] });
    const at = new Date('2031-05-06T07:08:09.000Z');
    const clock = network.service('directory').clock.set(at);
    try {
      await request(network.server('directory')).post(`/v1/organizations/${org.id}/clients/${org.clientId}/rotate`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    } finally {
      clock.reset();
    }
    const events = await request(network.server('directory')).get(`/v1/audit-events?targetId=${org.clientId}&action=client.rotated`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(events.body.data).toEqual([expect.objectContaining({ action: 'client.rotated', occurredAt: at.toISOString() })]);
    const clients = await request(network.server('directory')).get(`/v1/organizations/${org.id}/clients`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(clients.body.data).toEqual([expect.objectContaining({ id: org.clientId, rotatedAt: at.toISOString() })]);
  });

  it('records every administrative action in an audit log that refuses UPDATE and DELETE', async () => {
    const org = await network.organization({ roles: ['staff'] });
    await request(network.server('directory')).post(`/v1/organizations/${org.id}/clients/${org.clientId}/rotate`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    await network.revoke(org.id, org.clientId);
    await network.suspend(org.id);
    const orgEvents = await request(network.server('directory')).get(`/v1/audit-events?targetId=${org.id}`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(orgEvents.body.data.map((e: { action: string }) => e.action)).toEqual(['organization.suspended', 'organization.created']);
    const clientEvents = await request(network.server('directory')).get(`/v1/audit-events?targetId=${org.clientId}`).auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(clientEvents.body.data.map((e: { action: string }) => e.action)).toEqual(['client.revoked', 'client.rotated', 'client.created']);
    expect(clientEvents.body.data[0]).toMatchObject({ actorSubject: network.adminClientId, targetType: 'client' });

    const db = new Client({ connectionString: network.service('directory').database.url });
    await db.connect();
    try {
      await expect(db.query(`UPDATE audit_event SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  });

  it('creates a network admin from the CLI, once', async () => {
    const root = join(__dirname, '../../..');
    const env = { ...process.env, DATABASE_URL: network.service('directory').database.url, LOG_LEVEL: 'warn' };
    const { stdout } = await run('npm', ['run', '--silent', 'directory:create-admin', '--', '--client-id', 'cli-admin'], { cwd: root, env });
    const credentials = JSON.parse(stdout.trim());
    expect(credentials).toMatchObject({ clientId: 'cli-admin', clientSecret: expect.stringMatching(/^nwd_/), roles: ['network-admin'] });
    const token = await network.token('cli-admin', credentials.clientSecret);
    const me = await whoami('referral', token).expect(200);
    expect(me.body.roles).toEqual(['network-admin']);
    const again = await run('npm', ['run', '--silent', 'directory:create-admin', '--', '--client-id', 'cli-admin'], { cwd: root, env }).catch((e) => e);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});
