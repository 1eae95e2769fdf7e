import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, NatsConnection } from 'nats';
import request from 'supertest';
import { DirectoryEvents, DirectoryRequests, EventEnvelope, IdentityEvents, NetworkService, ReferralEvents, requestSubject, STREAMS } from '@nwd/contracts';
import { BaseConfig, buildConfig } from '@nwd/config';
import { NatsClient, NatsNames } from '@nwd/messaging';
import { DenyList } from '@nwd/auth';
import { AuthorizedNatsServer, bootService, pollUntil, ServiceName, ServiceUnderTest, TestNetwork, testNatsPrefix, TestOrganization } from '@nwd/testing';
import { DirectoryAppModule } from '../../apps/directory/src/directory-app.module';
import { DirectoryConfig } from '../../apps/directory/src/directory.config';
import { ReferralAppModule } from '../../apps/referral/src/referral-app.module';
import { ConsentConfig } from '../../apps/consent/src/consent.config';
import { ReferralConfig } from '../../apps/referral/src/referral.config';

/** Identified referrals need the client's consent for the receiver (issue 12). */
const VERBAL = { method: 'verbal-attested', categories: ['contact', 'demographics'], attestedBy: 'Test Navigator' };

const ALL_SERVICES: ServiceName[] = ['referral', 'directory', 'consent', 'notifications', 'reporting'];
const encoder = new TextEncoder();

/**
 * The network on a nats-server running its own authorization (the configuration `npm start` and
 * docker-compose generate): every service connects with its own credentials, and whoever holds
 * another service's credentials — or none — cannot speak for it.
 */
describe('NATS authorization: only a service’s owner speaks for it', () => {
  let nats: AuthorizedNatsServer;
  let network: TestNetwork;
  let names: NatsNames;
  let sender: TestOrganization;
  let receiver: TestOrganization;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await AuthorizedNatsServer.start();
    network = await TestNetwork.start(['referral', 'consent', 'notifications', 'reporting'], { nats });
    names = new NatsNames(network.natsPrefix);
    sender = await network.organization({ kind: 'health-system' });
    receiver = await network.organization({ kind: 'cbo' });
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await network?.close();
    await nats?.dispose();
  });

  const whoami = (service: ServiceName, token: string) => request(network.server(service)).get('/v1/whoami').auth(token, { type: 'bearer' });
  const refusedEverywhere = (token: string, what: string) =>
    Promise.all(ALL_SERVICES.map((s) => pollUntil(() => whoami(s, token), (r) => r.status === 401, { timeoutMs: 30_000, what: `${s}: ${what}` })));

  async function connectAs(service: NetworkService): Promise<NatsConnection> {
    const nc = await nats.connect(service, network.natsPrefix);
    open.push(nc);
    return nc;
  }

  /** The next permissions violation the server reports on this connection: what was refused, and on which subject. */
  function nextViolation(nc: NatsConnection): Promise<{ operation: string; subject: string }> {
    return (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'error' && status.data === ErrorCode.PermissionsViolation && status.permissionContext) {
          return { operation: status.permissionContext.operation, subject: status.permissionContext.subject };
        }
      }
      throw new Error('connection closed without a permissions violation');
    })();
  }

  /** Publishes a well-formed event envelope as if its owner had written it. */
  function forge(nc: NatsConnection, subject: string, data: object, source: string): void {
    const envelope: EventEnvelope<object> = { id: randomUUID(), type: subject, source, occurredAt: new Date().toISOString(), data };
    nc.publish(names.subject(subject), encoder.encode(JSON.stringify(envelope)), { headers: undefined });
  }

  async function lastSeq(stream: keyof typeof STREAMS, as: NetworkService): Promise<number> {
    const nc = await connectAs(as);
    const jsm = await nc.jetstreamManager();
    return (await jsm.streams.info(names.stream(stream))).state.last_seq;
  }

  /**
   * A real identity event after the forged one: once every service has applied it, anything
   * the forged one could have done would have been applied before it (the stream is ordered).
   */
  async function identityBarrier(): Promise<void> {
    const client = await network.client(sender.id, ['staff']);
    await network.revoke(sender.id, client.clientId);
    await refusedEverywhere(client.token, 'the barrier client revoked');
  }

  it('runs the network with each service’s own credentials: a referral is created and a suspension reaches every service', async () => {
    const created = await request(network.server('referral'))
      .post('/v1/referrals')
      .auth(sender.token, { type: 'bearer' })
      .send({ receivingOrganizationId: receiver.id, client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14' }, consent: VERBAL, needs: ['food-insecurity'], urgency: 'routine' });
    expect(created.status).toBe(201);
    const suspended = await network.organization({ kind: 'cbo' });
    await network.suspend(suspended.id);
    const refused = await refusedEverywhere(suspended.token, 'the suspended organization');
    for (const res of refused) expect(res.body.code).toBe('auth.organization-suspended');
  });

  it('delivers the directory’s capacity events to the referral service’s own durable consumer', async () => {
    const serviceId = randomUUID();
    const directory = () => request(network.server('directory'));
    const organization = { id: randomUUID(), name: 'Harbor Food Pantry', description: 'test listing' };
    await directory()
      .post('/v1/directory/imports')
      .auth(network.adminToken, { type: 'bearer' })
      .send({ services: [{ id: serviceId, name: 'Weekly groceries', status: 'active', organization }], maintainerOrganizationId: receiver.id })
      .expect(200);
    const refer = () =>
      request(network.server('referral'))
        .post('/v1/referrals')
        .auth(sender.token, { type: 'bearer' })
        .send({ receivingOrganizationId: receiver.id, receivingServiceId: serviceId, client: { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14' }, consent: VERBAL, needs: ['food-insecurity'], urgency: 'routine' });
    expect((await refer()).status).toBe(201);
    await directory().put(`/v1/directory/services/${serviceId}/capacity`).auth(receiver.token, { type: 'bearer' }).send({ status: 'not-accepting' }).expect(200);
    const closed = await pollUntil(refer, (res) => res.status !== 201, { timeoutMs: 15_000, what: 'directory.v1.capacity-changed to reach the referral service' });
    expect(closed.body.code).toBe('referral.service-not-accepting');
  });

  it('refuses connections without credentials', async () => {
    await expect(nats.connect(undefined, network.natsPrefix)).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
  });

  it.each<[string, NetworkService]>([
    ['the referral service', 'referral'],
    ['the consent service', 'consent'],
  ])('refuses a forged organization-reactivated event published with %s’s credentials, and the suspension holds everywhere', async (_, as) => {
    const org = await network.organization({ kind: 'cbo' });
    await network.suspend(org.id);
    await refusedEverywhere(org.token, 'the suspended organization');
    const before = await lastSeq('IDENTITY', 'directory');

    const forger = await connectAs(as);
    const violation = nextViolation(forger);
    forge(forger, IdentityEvents.organizationReactivated.subject, { organizationId: org.id, reactivatedAt: new Date().toISOString() }, 'directory');
    expect(await violation).toEqual({ operation: 'publish', subject: names.subject(IdentityEvents.organizationReactivated.subject) });

    await identityBarrier();
    expect(await lastSeq('IDENTITY', 'directory')).toBe(before + 1); // the barrier only
    for (const service of ALL_SERVICES) expect((await whoami(service, org.token)).status).toBe(401);
    const directory = await request(network.server('directory')).get(`/v1/organizations/${org.id}`).auth(network.adminToken, { type: 'bearer' });
    expect(directory.body.status).toBe('suspended');
  });

  it('refuses a forged client-revoked event for the network admin (the stream is replayed at boot), and the admin keeps working', async () => {
    const forger = await connectAs('reporting');
    const violation = nextViolation(forger);
    const me = await whoami('directory', network.adminToken);
    forge(forger, IdentityEvents.clientRevoked.subject, { organizationId: me.body.organizationId ?? randomUUID(), clientId: network.adminClientId, revokedAt: new Date().toISOString() }, 'directory');
    expect(await violation).toEqual({ operation: 'publish', subject: names.subject(IdentityEvents.clientRevoked.subject) });
    await identityBarrier();
    const late = await network.startService('reporting');
    for (const service of ALL_SERVICES) expect((await whoami(service, network.adminToken)).status).toBe(200);
    expect((await request(late.server).get('/v1/whoami').auth(network.adminToken, { type: 'bearer' })).status).toBe(200);
  });

  it('refuses a forged directory capacity event published with the referral service’s credentials; the DIRECTORY stream is unchanged', async () => {
    const before = await lastSeq('DIRECTORY', 'directory');
    const forger = await connectAs('referral');
    const violation = nextViolation(forger);
    forge(forger, DirectoryEvents.capacityChanged.subject, {
      serviceId: randomUUID(),
      providerOrganizationId: randomUUID(),
      previousStatus: 'accepting',
      status: 'not-accepting',
      changedAt: new Date().toISOString(),
    }, 'directory');
    expect(await violation).toEqual({ operation: 'publish', subject: names.subject(DirectoryEvents.capacityChanged.subject) });
    // Also through JetStream itself: the publish is refused, not stored.
    await expect(forger.jetstream().publish(names.subject(DirectoryEvents.capacityChanged.subject), encoder.encode('{}'), { timeout: 2000 })).rejects.toMatchObject({ code: ErrorCode.PermissionsViolation });
    expect(await lastSeq('DIRECTORY', 'directory')).toBe(before);
  });

  it('refuses a forged referral event published with the directory’s credentials; the REFERRAL stream is unchanged', async () => {
    const before = await lastSeq('REFERRAL', 'referral');
    const forger = await connectAs('directory');
    const violation = nextViolation(forger);
    forge(forger, ReferralEvents.accepted.subject, {
      referralId: randomUUID(),
      senderOrganizationId: sender.id,
      receivingOrganizationId: receiver.id,
      status: 'accepted',
      needs: ['food-insecurity'],
      version: 2,
      occurredAt: new Date().toISOString(),
    }, 'referral');
    expect(await violation).toEqual({ operation: 'publish', subject: names.subject(ReferralEvents.accepted.subject) });
    expect(await lastSeq('REFERRAL', 'referral')).toBe(before);
  });

  it('refuses a fake responder to the directory’s requests; referrals are still checked by the directory', async () => {
    const faker = await connectAs('notifications');
    const fake = faker.subscribe(names.subject(requestSubject(DirectoryRequests.getOrganization)), { queue: 'directory' });
    const ended = (async () => {
      for await (const message of fake) message.respond(encoder.encode(JSON.stringify({ ok: true, data: { id: randomUUID(), name: 'Fake', kind: 'cbo', status: 'active' } })));
    })();
    await expect(ended).rejects.toMatchObject({ code: ErrorCode.PermissionsViolation });

    // An organization the directory does not know is refused, as the directory says (a fake answer would have said "active").
    const unknown = randomUUID();
    const res = await request(network.server('referral'))
      .post('/v1/referrals')
      .auth(sender.token, { type: 'bearer' })
      .send({ receivingOrganizationId: unknown, client: { givenName: 'Ana', familyName: 'Ruiz', birthDate: '1990-01-01' }, consent: VERBAL, needs: ['food-insecurity'], urgency: 'routine' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['receivingOrganizationId']);
  });

  it('refuses reading another service’s stream or replies: no consumer on REFERRAL for the reporting service, no other inbox', async () => {
    const reader = await connectAs('reporting');
    const jsm = await reader.jetstreamManager();
    const violation = nextViolation(reader);
    await expect(jsm.consumers.add(names.stream('REFERRAL'), { durable_name: 'reporting-snoop', filter_subject: names.subject('referral.v1.>') })).rejects.toMatchObject({ code: ErrorCode.PermissionsViolation });
    expect(await violation).toMatchObject({ operation: 'publish', subject: expect.stringContaining(`$JS.API.CONSUMER.CREATE.${names.stream('REFERRAL')}.`) });

    const eavesdrop = reader.subscribe(`${names.inbox('referral')}.>`);
    const ended = (async () => {
      for await (const _ of eavesdrop) return;
    })();
    await expect(ended).rejects.toMatchObject({ code: ErrorCode.PermissionsViolation });
  });
});

describe('NATS authorization: boot order', () => {
  it('boots a reader before the owner of the streams it reads, and follows them once the owner has created them', async () => {
    const nats = await AuthorizedNatsServer.start();
    const prefix = testNatsPrefix();
    const env = async (service: NetworkService) => ({ NATS_URL: nats.url, NWD_NATS_CREDS_FILE: await nats.credentialsFile(service, prefix) });
    const referral = await bootService({ service: 'referral', config: ReferralConfig, module: (c) => ReferralAppModule.forRoot(c), natsPrefix: prefix, env: await env('referral') });
    let directory: ServiceUnderTest<BaseConfig> | undefined;
    try {
      await request(referral.server).get('/health').expect(200);
      const secret = `secret-${randomUUID()}`;
      directory = await bootService({
        service: 'directory',
        config: DirectoryConfig,
        module: (c) => DirectoryAppModule.forRoot(c),
        natsPrefix: prefix,
        env: { ...(await env('directory')), NWD_ADMIN_CLIENT_ID: 'boot-order-admin', NWD_ADMIN_CLIENT_SECRET: secret },
      });
      // The referral service's durables on DIRECTORY exist once the directory has created the stream.
      const client = referral.app.get(NatsClient);
      const jsm = await client.jetstreamManager();
      for (const durable of ['referral-service-capacity', 'referral-service-updates']) {
        await pollUntil(() => jsm.consumers.info(client.stream('DIRECTORY'), client.durable(durable)).then(() => true, () => false), (ok) => ok, { what: `${durable} created` });
      }
      // And it follows IDENTITY: a suspension reaches its deny-list.
      const token = (await request(directory.server).post('/oauth/token').send({ grant_type: 'client_credentials', client_id: 'boot-order-admin', client_secret: secret }).expect(200)).body.access_token;
      const org = (await request(directory.server).post('/v1/organizations').auth(token, { type: 'bearer' }).send({ name: 'Late pantry', kind: 'cbo' }).expect(201)).body;
      await request(directory.server).patch(`/v1/organizations/${org.id}`).auth(token, { type: 'bearer' }).send({ status: 'suspended' }).expect(200);
      await pollUntil(() => referral.app.get(DenyList).isSuspended(org.id), (suspended) => suspended, { what: 'the suspension in the referral service' });
    } finally {
      await directory?.close();
      await referral.close();
      await nats.dispose();
    }
  });
});

describe('NATS credentials: rotation and TLS', () => {
  const prefix = 'rotation';

  it('refuses a rotated service’s old credentials once the server has the new configuration, and accepts the new ones', async () => {
    const nats = await AuthorizedNatsServer.start();
    try {
      const oldCreds = await nats.credentialsFile('consent', prefix);
      const before = buildConfig(ConsentConfig, { DATABASE_URL: 'postgres://unused', NATS_URL: nats.url, NWD_NATS_PREFIX: prefix, NWD_NATS_CREDS_FILE: oldCreds });
      await (await NatsClient.connect(before)).connection.close();

      await nats.rotate(['consent']);
      await expect(NatsClient.connect({ ...before, NATS_URL: nats.url } as ConsentConfig)).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
      const renewed = { ...before, NWD_NATS_CREDS_FILE: await nats.credentialsFile('consent', prefix) } as ConsentConfig;
      const client = await NatsClient.connect(renewed);
      await expect((await client.jetstreamManager()).getAccountInfo()).resolves.toBeDefined();
      await client.connection.close();
      // Only the rotated service: the others' credentials still work.
      await (await nats.connect('referral', prefix)).close();
    } finally {
      await nats.dispose();
    }
  });

  it('serves TLS with the generated configuration: a service connects with the CA, and not without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nwd-nats-tls-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'server.ext', '-out', 'server.crt');
    const nats = await AuthorizedNatsServer.start({ tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') } });
    try {
      const config = buildConfig(ReferralConfig, {
        DATABASE_URL: 'postgres://unused',
        NATS_URL: nats.url.replace('nats://', 'tls://'),
        NWD_NATS_PREFIX: prefix,
        NWD_NATS_CREDS_FILE: await nats.credentialsFile('referral', prefix),
        NWD_NATS_CA_FILE: join(dir, 'ca.crt'),
      });
      const client = await NatsClient.connect(config);
      expect(client.connection.info?.tls_required).toBe(true);
      await expect((await client.jetstreamManager()).getAccountInfo()).resolves.toBeDefined();
      await client.connection.close();
      await expect(NatsClient.connect({ ...config, NWD_NATS_CA_FILE: '' } as ReferralConfig)).rejects.toThrow(/certificate/);
    } finally {
      await nats.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
