import request from 'supertest';
import { DataSource } from 'typeorm';
import { DirectoryRequests, IdentityEvents } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';
import { streamEvents, TestNetwork } from '@nwd/testing';

/** Network admins set an organization's federal protections; every service learns them from the IDENTITY stream. */
describe('organization protections', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await TestNetwork.start([]);
  });
  afterAll(() => network?.close());

  const directory = () => request(network.server('directory'));
  const patch = (token: string, id: string, body: unknown) => directory().patch(`/v1/organizations/${id}`).auth(token, { type: 'bearer' }).send(body as object);
  const db = () => network.service('directory').app.get(DataSource);
  const outboxOf = async (id: string) =>
    Number((await db().query(`SELECT count(*) AS n FROM outbox WHERE subject = $1 AND envelope->'data'->>'organizationId' = $2`, [IdentityEvents.organizationProtectionsChanged.subject, id]))[0].n);
  const audits = async (id: string) => Number((await db().query(`SELECT count(*) AS n FROM audit_event WHERE target_id = $1 AND action = 'organization.protections-changed'`, [id]))[0].n);

  it('are set by a network admin, shown in the organization views and the getOrganization reply, audited and announced', async () => {
    const shelter = await network.organization({ kind: 'cbo' });
    const patched = await patch(network.adminToken, shelter.id, { protections: ['substance-use', 'domestic-violence'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: shelter.id, protections: ['domestic-violence', 'substance-use'] });
    expect((await directory().get(`/v1/organizations/${shelter.id}`).auth(shelter.token, { type: 'bearer' })).body.protections).toEqual(['domestic-violence', 'substance-use']);
    const listed = await directory().get(`/v1/organizations?name=${encodeURIComponent(shelter.name)}`).auth(shelter.token, { type: 'bearer' });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: shelter.id, protections: ['domestic-violence', 'substance-use'] })]);

    const messaging = network.service('directory').app.get(MessagingClient);
    expect(await messaging.request(DirectoryRequests.getOrganization, { organizationId: shelter.id })).toEqual({
      id: shelter.id,
      name: shelter.name,
      kind: 'cbo',
      status: 'active',
      protections: ['domestic-violence', 'substance-use'],
    });

    // The same set in another order is no change: no second event, no audit record.
    await patch(network.adminToken, shelter.id, { protections: ['domestic-violence', 'substance-use'] }).expect(200);
    const lifted = await patch(network.adminToken, shelter.id, { protections: [] });
    expect(lifted.body.protections).toEqual([]);
    expect(await messaging.request(DirectoryRequests.getOrganization, { organizationId: shelter.id })).toEqual({ id: shelter.id, name: shelter.name, kind: 'cbo', status: 'active' });
    expect(await audits(shelter.id)).toBe(2);

    const events = await streamEvents(
      network.service('directory').app.get(NatsClient).stream('IDENTITY'),
      (e) => e.type === IdentityEvents.organizationProtectionsChanged.subject && e.data.organizationId === shelter.id,
      { expected: 2 },
    );
    expect(events.map((e) => e.data)).toEqual([
      { organizationId: shelter.id, protections: ['domestic-violence', 'substance-use'], changedAt: expect.any(String) },
      { organizationId: shelter.id, protections: [], changedAt: expect.any(String) },
    ]);
    const audit = await directory().get(`/v1/audit-events?targetId=${shelter.id}&action=organization.protections-changed`).auth(network.adminToken, { type: 'bearer' });
    expect(audit.body.data[1]).toMatchObject({ actorSubject: network.adminClientId, details: { from: [], to: ['domestic-violence', 'substance-use'] } });
  });

  it('are refused to anyone but a network admin (403) and to bad values (400 naming the field), and nothing is written', async () => {
    const org = await network.organization({ roles: ['org-admin'] });
    const staff = await network.client(org.id, ['staff']);
    const own = await patch(org.token, org.id, { protections: ['domestic-violence'] });
    expect([own.status, own.body.code]).toEqual([403, 'directory.organization-update-forbidden']);
    expect((await patch(org.token, org.id, { name: 'Renamed', protections: ['substance-use'] })).status).toBe(403);
    expect((await patch(staff.token, org.id, { protections: ['domestic-violence'] })).status).toBe(403);
    for (const protections of [['vawa'], 'domestic-violence', null, ['substance-use', 'substance-use']]) {
      const bad = await patch(network.adminToken, org.id, { protections });
      expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'protections']);
    }
    const read = await directory().get(`/v1/organizations/${org.id}`).auth(org.token, { type: 'bearer' });
    expect(read.body).toMatchObject({ name: org.name, protections: [] });
    expect(await outboxOf(org.id)).toBe(0);
    expect(await audits(org.id)).toBe(0);
  });
});
