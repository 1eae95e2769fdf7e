import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConsentRequests } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';
import { streamEvents, TestNetwork, TestOrganization } from '@nwd/testing';
import { DisclosureLedger } from '../src/disclosures/disclosure-ledger';

/** The client register over HTTP and NATS, on the consent service with its default visibility (own organization only). */
describe('client register', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await TestNetwork.start(['consent']);
  });
  afterAll(() => network?.close());

  const http = () => request(network.server('consent'));
  const as = (org: TestOrganization | string) => (typeof org === 'string' ? org : org.token);
  const post = (org: TestOrganization | string, path: string, body: unknown) => http().post(path).auth(as(org), { type: 'bearer' }).send(body as object);
  const patch = (org: TestOrganization | string, path: string, body: unknown) => http().patch(path).auth(as(org), { type: 'bearer' }).send(body as object);
  const get = (org: TestOrganization | string, path: string) => http().get(path).auth(as(org), { type: 'bearer' });
  const db = () => network.service('consent').app.get(DataSource);
  const clientCount = async () => Number((await db().query(`SELECT count(*) AS n FROM client`))[0].n);

  async function register(org: TestOrganization | string, body: Record<string, unknown>) {
    const res = await post(org, '/v1/clients', body);
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const search = (org: TestOrganization, query: Record<string, string>) => get(org, `/v1/clients?${new URLSearchParams(query)}`);

  it('registers a client with optional self-reported demographics, and only its organization reads or changes it', async () => {
    const [mine, other] = [await network.organization(), await network.organization()];
    const created = await register(mine, {
      givenName: 'Rosa',
      familyName: 'Delgado',
      birthDate: '1979-05-14',
      phone: '+1 555 010 2000',
      preferredLanguage: 'es',
      interpreterNeeded: true,
      race: ['2106-3'],
      ethnicity: ['2135-2'],
      sex: 'female',
      genderIdentity: 'woman',
      postalCode: '94401',
    });
    expect(created).toMatchObject({ givenName: 'Rosa', race: ['2106-3'], ethnicity: ['2135-2'], sex: 'female', registeredByOrganizationId: mine.id, possibleDuplicates: [] });

    const minimal = await register(mine, { givenName: 'Ana', familyName: 'Smith', birthDate: '1990-01-02' });
    expect(minimal).toMatchObject({ race: [], ethnicity: [], sex: null, genderIdentity: null, postalCode: null, interpreterNeeded: false });

    expect((await get(mine, `/v1/clients/${created.id}`)).body).toMatchObject({ id: created.id, phone: '+1 555 010 2000' });
    const unknown = await get(other, `/v1/clients/${created.id}`);
    const missing = await get(other, `/v1/clients/${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'consent.client-not-found']);
    expect(missing.status).toBe(404);
    expect((await patch(other, `/v1/clients/${created.id}`, { phone: null })).status).toBe(404);

    const changed = await patch(mine, `/v1/clients/${created.id}`, { phone: null, sex: 'other', preferredLanguage: 'es-MX' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phone: null, sex: 'other', preferredLanguage: 'es-MX', givenName: 'Rosa' });
  });

  it('answers bad input with a 400 naming the field, and writes nothing', async () => {
    const org = await network.organization();
    const before = await clientCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ familyName: 'Delgado', birthDate: '1979-05-14' }, 'givenName'],
      [{ givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-02-30' }, 'birthDate'],
      [{ givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', race: ['martian'] }, 'race'],
      [{ givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', sex: 'x' }, 'sex'],
      [{ givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', ssn: '123' }, 'ssn'],
    ];
    for (const [body, field] of cases) {
      const res = await post(org, '/v1/clients', body);
      expect([res.status, res.body.code]).toEqual([400, 'request.validation-failed']);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const created = await register(org, { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14' });
    const nulled = await patch(org, `/v1/clients/${created.id}`, { givenName: null });
    expect([nulled.status, nulled.body.errors[0].field]).toEqual([400, 'givenName']);
    const badSearch = await search(org, { name: 'Rosa', birthDate: '14/05/1979' });
    expect([badSearch.status, badSearch.body.errors[0].field]).toEqual([400, 'birthDate']);
    expect(await clientCount()).toBe(before + 1);
    expect((await get(org, `/v1/clients/${created.id}`)).body.givenName).toBe('Rosa');
  });

  it('finds a person despite typos, accents, a hyphenated family name and swapped names, ranked, exact on birth date', async () => {
    const org = await network.organization();
    const rosa = await register(org, { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14' });
    const rosalind = await register(org, { givenName: 'Rosalind', familyName: 'Delgardo', birthDate: '1979-05-14' });
    const jose = await register(org, { givenName: 'José', familyName: 'García-López', birthDate: '1962-11-30' });
    const nunez = await register(org, { givenName: 'María José', familyName: 'Núñez', birthDate: '1985-07-01' });
    await register(org, { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1980-01-01' });

    const ids = async (query: Record<string, string>) => {
      const res = await search(org, query);
      expect(res.status).toBe(200);
      return res.body.data.map((hit: { client: { id: string } }) => hit.client.id);
    };
    expect(await ids({ name: 'Rosa Delgaod', birthDate: '1979-05-14' })).toEqual([rosa.id, rosalind.id]);
    expect(await ids({ name: 'delgado rosa', birthDate: '1979-05-14' })).toEqual([rosa.id, rosalind.id]);
    expect(await ids({ name: 'Jose Garcia', birthDate: '1962-11-30' })).toEqual([jose.id]);
    expect(await ids({ name: 'lopez jose' })).toEqual([jose.id]);
    expect(await ids({ name: 'MARIA NUNEZ' })).toEqual([nunez.id]);
    expect(await ids({ name: 'Rosa Delgado', birthDate: '1999-09-09' })).toEqual([]);

    const ranked = (await search(org, { name: 'Rosa Delgado', birthDate: '1979-05-14' })).body.data;
    expect(ranked[0]).toMatchObject({ score: 1, client: { id: rosa.id, givenName: 'Rosa' } });
    expect(ranked[1].score).toBeLessThan(1);
  });

  it('never shows another organization’s registrations without consent', async () => {
    const [mine, other] = [await network.organization(), await network.organization()];
    const theirs = await register(other, { givenName: 'Imani', familyName: 'Okafor', birthDate: '1991-03-03' });
    expect((await search(mine, { name: 'Imani Okafor', birthDate: '1991-03-03' })).body.data).toEqual([]);
    expect((await search(other, { name: 'Imani Okafor', birthDate: '1991-03-03' })).body.data.map((h: any) => h.client.id)).toEqual([theirs.id]);
    expect(Number((await db().query(`SELECT count(*) AS n FROM disclosure`))[0].n)).toBe(0);
  });

  it('flags possible duplicates within an organization; its org-admin merges them, recorded and announced', async () => {
    const staff = await network.organization();
    const admin = await network.client(staff.id, ['org-admin']);
    const other = await network.organization({ roles: ['org-admin'] });
    const kept = await register(staff, { givenName: 'Amani', familyName: 'Ochieng', birthDate: '1970-10-10' });
    const duplicate = await register(staff, { givenName: 'Amanie', familyName: 'Ochieng', birthDate: '1970-10-10' });
    expect(duplicate.possibleDuplicates).toEqual([{ id: kept.id, score: expect.any(Number) }]);
    expect((await get(staff, `/v1/clients/${kept.id}`)).body.possibleDuplicates.map((d: any) => d.id)).toEqual([duplicate.id]);
    // The same person registered elsewhere is not this organization's duplicate.
    await register(other, { givenName: 'Amani', familyName: 'Ochieng', birthDate: '1970-10-10' });
    expect((await get(staff, `/v1/clients/${kept.id}`)).body.possibleDuplicates).toHaveLength(1);
    const sibling = await register(staff, { givenName: 'Baraka', familyName: 'Ochieng', birthDate: '1970-10-10' });
    const pairs = await get(staff, '/v1/clients/possible-duplicates');
    expect(pairs.status).toBe(200);
    expect(pairs.body.data).toEqual([{ score: expect.any(Number), clients: [expect.objectContaining({ id: kept.id }), expect.objectContaining({ id: duplicate.id })] }]);
    expect((await get(other, '/v1/clients/possible-duplicates')).body.data).toEqual([]);
    expect((await get(staff, '/v1/clients/possible-duplicates?limit=0')).status).toBe(400);

    const byStaff = await post(staff, `/v1/clients/${kept.id}/merge`, { duplicateId: duplicate.id });
    expect(byStaff.status).toBe(403);
    const byOtherAdmin = await post(other, `/v1/clients/${kept.id}/merge`, { duplicateId: duplicate.id });
    expect(byOtherAdmin.status).toBe(404);
    const intoItself = await post(admin.token, `/v1/clients/${kept.id}/merge`, { duplicateId: kept.id });
    expect([intoItself.status, intoItself.body.errors[0].field]).toEqual([400, 'duplicateId']);
    expect((await db().query(`SELECT count(*) AS n FROM client_merge`))[0].n).toBe('0');

    const merged = await post(admin.token, `/v1/clients/${kept.id}/merge`, { duplicateId: duplicate.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: kept.id, mergedClientIds: [duplicate.id], possibleDuplicates: [] });
    expect((await get(staff, '/v1/clients/possible-duplicates')).body.data).toEqual([]);
    expect((await get(staff, `/v1/clients/${duplicate.id}`)).body.id).toBe(kept.id);
    // The duplicate is gone from search; a sibling born the same day is still found, after the person.
    expect((await search(staff, { name: 'Amani Ochieng', birthDate: '1970-10-10' })).body.data.map((h: any) => h.client.id)).toEqual([kept.id, sibling.id]);
    const again = await post(admin.token, `/v1/clients/${kept.id}/merge`, { duplicateId: duplicate.id });
    expect([again.status, again.body.code]).toEqual([409, 'consent.client-already-merged']);
    const [record] = await db().query(`SELECT organization_id, surviving_client_id, merged_client_id, merged_by FROM client_merge WHERE merged_client_id = $1`, [duplicate.id]);
    expect(record).toEqual({ organization_id: staff.id, surviving_client_id: kept.id, merged_client_id: duplicate.id, merged_by: admin.clientId });

    const events = await streamEvents(network.service('consent').app.get(NatsClient).stream('CONSENT'), (e) => e.data.mergedClientId === duplicate.id);
    expect(events).toEqual([
      expect.objectContaining({ type: 'consent.v1.client-merged', data: { survivingClientId: kept.id, mergedClientId: duplicate.id, organizationId: staff.id, occurredAt: expect.any(String) } }),
    ]);
  });

  it('takes the referral service’s clients over NATS, idempotent by id', async () => {
    const org = await network.organization();
    const messaging = network.service('consent').app.get(MessagingClient);
    const handed = [randomUUID(), randomUUID()].map((id, i) => ({
      id,
      createdByOrganizationId: org.id,
      createdAt: '2026-06-01T10:00:00.000Z',
      details: { givenName: `Handed${i}`, familyName: 'Over', birthDate: '1950-01-01', phone: '+1 555 000 0000', doNotContact: true },
    }));
    expect(await messaging.request(ConsentRequests.handOverClients, { clients: handed })).toEqual({ registered: handed.map((c) => c.id) });
    const changed = { ...handed[0]!, details: { ...handed[0]!.details, givenName: 'Changed' } };
    const again = await messaging.request(ConsentRequests.handOverClients, { clients: [changed, handed[1]!] });
    expect(again.registered.sort()).toEqual(handed.map((c) => c.id).sort());
    const first = (await get(org, `/v1/clients/${handed[0]!.id}`)).body;
    expect(first).toMatchObject({ id: handed[0]!.id, givenName: 'Handed0', doNotContact: true, registeredByOrganizationId: org.id, createdAt: '2026-06-01T10:00:00.000Z' });
    await expect(messaging.request(ConsentRequests.handOverClients, { clients: [{ ...handed[0]!, id: 'not-a-uuid' }] })).rejects.toThrow();
  });

  it('gives the registering organization and network admins a client’s disclosure history, merged duplicates included', async () => {
    const org = await network.organization();
    const admin = await network.client(org.id, ['org-admin']);
    const [recipient, stranger] = [await network.organization(), await network.organization()];
    const kept = await register(org, { givenName: 'Wanjiru', familyName: 'Kamau', birthDate: '1966-06-06' });
    const duplicate = await register(org, { givenName: 'Wanjiru', familyName: 'Kamau', birthDate: '1966-06-06' });
    const ledger = network.service('consent').app.get(DisclosureLedger);
    const consentId = randomUUID();
    const referralId = randomUUID();
    const disclose = (clientId: string, channel: 'referral-read' | 'forward') =>
      db().transaction((manager) =>
        ledger.record(manager, [{ clientId, recipientOrganizationId: recipient.id, sourceOrganizationIds: [org.id], purpose: 'referral', categories: ['contact', 'notes'], channel, consentIds: [consentId], referralId }]),
      );
    const [first] = await disclose(duplicate.id, 'referral-read');
    const [second] = await disclose(kept.id, 'forward');
    expect((await post(admin.token, `/v1/clients/${kept.id}/merge`, { duplicateId: duplicate.id })).status).toBe(200);

    const history = await get(org, `/v1/clients/${duplicate.id}/disclosures`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      clientId: kept.id,
      data: [
        { id: first!.id, disclosedAt: first!.disclosedAt.toISOString(), clientId: duplicate.id, recipientOrganizationId: recipient.id, sourceOrganizationIds: [org.id], purpose: 'referral', categories: ['contact', 'notes'], channel: 'referral-read', consentIds: [consentId], referralId },
        expect.objectContaining({ id: second!.id, clientId: kept.id, channel: 'forward' }),
      ],
    });
    const page = await get(org, `/v1/clients/${kept.id}/disclosures?limit=1`);
    expect(page.body.data.map((d: { id: string }) => d.id)).toEqual([first!.id]);
    const rest = await get(org, `/v1/clients/${kept.id}/disclosures?limit=1&after=${page.body.next}`);
    expect(rest.body.data.map((d: { id: string }) => d.id)).toEqual([second!.id]);
    expect((await get(network.adminToken, `/v1/clients/${kept.id}/disclosures`)).body.data).toHaveLength(2);
    // The recipient and anyone else: as for an unknown client.
    for (const outsider of [recipient, stranger]) expect((await get(outsider, `/v1/clients/${kept.id}/disclosures`)).status).toBe(404);
    const bad = await get(org, `/v1/clients/${kept.id}/disclosures?limit=0`);
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'limit']);
  });
});
