import { readFileSync } from 'node:fs';
import { AckPolicy, ErrorCode, NatsConnection, NatsError } from 'nats';
import request from 'supertest';
import { PartnerFeed } from '@nwd/contracts';
import { NatsNames } from '@nwd/messaging';
import { AuthorizedNatsServer, pollUntil, TestNetwork, TestOrganization } from '@nwd/testing';
import { PartnerCredentialsRevocationSync } from '../src/partner-credentials/partner-credentials-revocation.sync';
import { PartnerPushConsumerSweep } from '../src/partner-credentials/partner-push-consumer.sweep';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OVERLAP_SECONDS = 300;

/**
 * An org admin obtains, lists, rotates and revokes its organization's NATS credentials through the
 * notifications API, and they work (or stop working) on a nats-server running the network's authorization.
 */
describe('partner NATS credentials API', () => {
  let nats: AuthorizedNatsServer;
  let network: TestNetwork;
  let names: NatsNames;
  let adminA: TestOrganization;
  let adminB: TestOrganization;
  let staffA: { token: string };
  let publisher: NatsConnection;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await AuthorizedNatsServer.start();
    network = await TestNetwork.start(['notifications'], {
      nats,
      env: {
        notifications: {
          NWD_PARTNER_NATS_ISSUER_FILE: await nats.partnerIssuerFile(),
          NWD_PARTNER_NATS_ROTATION_OVERLAP_SECONDS: OVERLAP_SECONDS,
          // The test runs the sync itself (after moving the clock past an overlap).
          NWD_PARTNER_NATS_REVOCATION_SYNC_SECONDS: 0,
          NWD_PARTNER_PUSH_CONSUMER_SWEEP_SECONDS: 0,
        },
      },
    });
    names = new NatsNames(network.natsPrefix);
    adminA = await network.organization({ kind: 'cbo', roles: ['org-admin'] });
    adminB = await network.organization({ kind: 'cbo', roles: ['org-admin'] });
    staffA = await network.client(adminA.id, ['staff']);
    // The notifications service provisioned stream PARTNER at boot; the test stands in for its fan-out.
    publisher = await nats.connectWithPermissions(
      'feed-publisher',
      { pub: { allow: ['$JS.API.INFO', names.subject('partner.>')] }, sub: { allow: ['_INBOX.feed-publisher.>'] } },
      { inboxPrefix: '_INBOX.feed-publisher' },
    );
    open.push(publisher);
    for (const org of [adminA, adminB]) {
      await publisher.jetstream().publish(names.subject(PartnerFeed.subject(org.id, 'referral.v1.requested')), encoder.encode(`for ${org.id}`));
    }
  }, 120_000);

  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await network?.close();
    await nats?.dispose();
  });

  const api = () => request(network.server('notifications'));
  const issue = (org: { token: string }) => api().post('/v1/nats-credentials').auth(org.token, { type: 'bearer' });
  const list = (org: { token: string }) => api().get('/v1/nats-credentials').auth(org.token, { type: 'bearer' });
  const rotate = (org: { token: string }, id: string) => api().post(`/v1/nats-credentials/${id}/rotate`).auth(org.token, { type: 'bearer' });
  const revoke = (org: { token: string }, id: string) => api().delete(`/v1/nats-credentials/${id}`).auth(org.token, { type: 'bearer' });

  interface Issued {
    id: string;
    creds: string;
    connection: { servers: string[]; inboxPrefix: string; stream: string; filter: string; durables: string[] };
  }

  /** Connects as the API's response says, like a partner's client. */
  async function connectAs(issued: Issued, options = {}): Promise<NatsConnection> {
    const nc = await nats.connectWith(issued.creds, { inboxPrefix: issued.connection.inboxPrefix, ...options });
    open.push(nc);
    return nc;
  }

  async function readFeed(nc: NatsConnection, issued: Issued, slot = 0): Promise<string[]> {
    const { stream, filter, durables } = issued.connection;
    await (await nc.jetstreamManager({ checkAPI: false })).consumers.add(stream, { durable_name: durables[slot], filter_subject: filter, ack_policy: AckPolicy.Explicit });
    const consumer = await nc.jetstream().consumers.get(stream, durables[slot]!);
    const seen: string[] = [];
    for await (const m of await consumer.fetch({ max_messages: 10, expires: 2000 })) (seen.push(decoder.decode(m.data)), m.ack());
    return seen;
  }

  const connectOutcome = (creds: string) =>
    nats.connectWith(creds).then(
      (nc) => (open.push(nc), 'connected'),
      (error: NatsError) => error.code,
    );

  it('lets only an org admin manage them', async () => {
    expect((await issue(staffA)).status).toBe(403);
    expect((await list(staffA)).status).toBe(403);
    expect((await api().post('/v1/nats-credentials')).status).toBe(401);
  });

  it('issues credentials once, which read the organization’s own feed; the list shows no secret and only its own', async () => {
    const res = await issue(adminA);
    expect(res.status).toBe(201);
    const issued = res.body as Issued & Record<string, unknown>;
    expect(issued).toMatchObject({ organizationId: adminA.id, status: 'active', publicKey: expect.stringMatching(/^U[A-Z2-7]{55}$/), expiresAt: null, revokedAt: null });
    expect(issued.creds).toContain('-----BEGIN NATS USER JWT-----');
    expect(issued.creds).toContain('-----BEGIN USER NKEY SEED-----');
    expect(issued.connection).toEqual({
      servers: [nats.url],
      inboxPrefix: `_INBOX.${network.natsPrefix}.partner.${adminA.id}`,
      stream: names.stream('PARTNER'),
      filter: names.subject(`partner.${adminA.id}.>`),
      durables: [1, 2, 3].map((slot) => names.durable(`p-${adminA.id}-${slot}`)),
    });

    const nc = await connectAs(issued);
    expect(await readFeed(nc, issued)).toEqual([`for ${adminA.id}`]);

    const listed = await list(adminA);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: issued.id, publicKey: issued.publicKey, status: 'active' })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/creds|SEED|seed/);
    expect((await list(adminB)).body.data).toEqual([]);
    // Another organization's admin cannot touch it.
    expect((await rotate(adminB, issued.id)).status).toBe(404);
    expect((await revoke(adminB, issued.id)).status).toBe(404);
  });

  it('revokes: the connected partner is cut off and the credential refused within 60 s, measured by polling', async () => {
    const issued = (await issue(adminA)).body as Issued;
    const partner = await connectAs(issued, { reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const closed = partner.closed();
    const started = Date.now();
    expect((await revoke(adminA, issued.id)).status).toBe(204);

    await pollUntil(() => partner.isClosed(), (isClosed) => isClosed, { timeoutMs: 60_000, what: 'the revoked partner’s connection to close' });
    expect(await closed).toMatchObject({ code: ErrorCode.AuthorizationViolation });
    await pollUntil(() => connectOutcome(issued.creds), (code) => code === ErrorCode.AuthorizationViolation, { timeoutMs: 60_000, what: 'the revoked credential to be refused' });
    expect(Date.now() - started).toBeLessThan(60_000);

    const row = (await list(adminA)).body.data.find((c: { id: string }) => c.id === issued.id);
    expect(row).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect((await revoke(adminA, issued.id)).status).toBe(204);
    expect((await rotate(adminA, issued.id)).body.code).toBe('notifications.nats-credential-revoked');
    // B's credentials are untouched.
    const other = (await issue(adminB)).body as Issued;
    expect(await readFeed(await connectAs(other), other)).toEqual([`for ${adminB.id}`]);
  }, 150_000);

  it('rotates: both work during the overlap, then the old one is refused and the new one keeps working', async () => {
    const old = (await issue(adminA)).body as Issued;
    const rotated = await rotate(adminA, old.id);
    expect(rotated.status).toBe(200);
    const renewed = rotated.body as Issued & { publicKey: string };
    expect(renewed.id).not.toBe(old.id);
    expect(await connectOutcome(old.creds)).toBe('connected');
    expect(await connectOutcome(renewed.creds)).toBe('connected');
    const listed = (await list(adminA)).body.data;
    expect(listed.find((c: { id: string }) => c.id === old.id)).toMatchObject({ status: 'active', replacedBy: renewed.id, expiresAt: expect.any(String) });
    expect((await rotate(adminA, old.id)).body.code).toBe('notifications.nats-credential-rotated');

    const svc = network.service('notifications');
    svc.clock.advance((OVERLAP_SECONDS + 1) * 1000);
    expect(await svc.app.get(PartnerCredentialsRevocationSync).run(svc.clock.now())).toBe(1);
    await pollUntil(() => connectOutcome(old.creds), (code) => code === ErrorCode.AuthorizationViolation, { timeoutMs: 60_000, what: 'the rotated credential to be refused' });
    expect((await list(adminA)).body.data.find((c: { id: string }) => c.id === old.id)).toMatchObject({ status: 'revoked' });
    expect(await connectOutcome(renewed.creds)).toBe('connected');
    // Nothing more to push: the server already refuses every revoked credential.
    expect(await svc.app.get(PartnerCredentialsRevocationSync).run(svc.clock.now())).toBe(0);
  }, 150_000);

  it('removes a push consumer a partner aimed at another subject, and leaves its pull consumers alone', async () => {
    const issued = (await issue(adminA)).body as Issued;
    const nc = await connectAs(issued);
    expect(await readFeed(nc, issued, 2)).toEqual([`for ${adminA.id}`]);
    // Someone listening on a subject of the account (as a service's requests or core listeners are).
    const probe = names.subject('probe.listener');
    const listener = await nats.connectWithPermissions('listener', { pub: { allow: [] }, sub: { allow: [probe] } });
    open.push(listener);
    const heard = (async () => {
      for await (const m of listener.subscribe(probe)) return decoder.decode(m.data);
    })();
    await listener.flush();
    const { stream, filter, durables } = issued.connection;
    const jsm = await nc.jetstreamManager({ checkAPI: false });
    // The permissions allow A's own durable with A's filter; the deliver subject is no permission's business.
    await jsm.consumers.add(stream, { durable_name: durables[1], filter_subject: filter, ack_policy: AckPolicy.None, deliver_subject: probe });
    expect(await heard).toBe(`for ${adminA.id}`);

    expect(await network.service('notifications').app.get(PartnerPushConsumerSweep).run()).toEqual([durables[1]]);
    await expect(jsm.consumers.info(stream, durables[1]!)).rejects.toThrow(/consumer not found/);
    await expect(jsm.consumers.info(stream, durables[2]!)).resolves.toMatchObject({ name: durables[2] });
    expect(await network.service('notifications').app.get(PartnerPushConsumerSweep).run()).toEqual([]);
  });

  it('re-applies revocations after the server restarts from a regenerated configuration (a service’s rotation)', async () => {
    const issued = (await issue(adminA)).body as Issued;
    expect((await revoke(adminA, issued.id)).status).toBe(204);
    await pollUntil(() => connectOutcome(issued.creds), (code) => code === ErrorCode.AuthorizationViolation, { timeoutMs: 60_000, what: 'the revoked credential to be refused' });

    // The operator rotates the reporting service: a newer account JWT (the services' revocations only) preloaded at restart.
    const oldReporting = readFileSync(await nats.credentialsFile('reporting', network.natsPrefix), 'utf8');
    await nats.rotate(['reporting']);
    // The periodic sync is off here: the claims updater's reconnect runs it.
    await pollUntil(() => connectOutcome(issued.creds), (code) => code === ErrorCode.AuthorizationViolation, { timeoutMs: 60_000, what: 'the revocation re-applied after the restart' });
    const svc = network.service('notifications');
    expect(await svc.app.get(PartnerCredentialsRevocationSync).run(svc.clock.now())).toBe(0);
    // The merge kept the services' own revocations.
    expect(await connectOutcome(oldReporting)).toBe(ErrorCode.AuthorizationViolation);
  }, 120_000);

  it('refuses an id that is not a UUID, naming the field', async () => {
    const res = await revoke(adminA, 'not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['id']);
  });
});
