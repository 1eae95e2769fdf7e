import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { pollUntil, ServiceName, TestOrganization } from '@nwd/testing';
import { fields, ReferralKit } from './referral-test-kit';

/**
 * A referral that names a `receivingServiceId` is checked against the directory's listing: it must
 * exist, belong to the receiving organization, and take referrals (a waitlist is a warning).
 */
describe('referral to a directory service', () => {
  const kit = ReferralKit.forSuite();
  let clinic: TestOrganization;
  let pantry: TestOrganization;
  let shelter: TestOrganization;

  const PANTRY_GROCERIES = randomUUID();
  const PANTRY_HOT_MEALS = randomUUID();
  const PANTRY_DELIVERY = randomUUID();
  const SHELTER_BEDS = randomUUID();
  const SHELTER_CASE_MANAGEMENT = randomUUID();

  const directory = () => request(kit.network.server('directory'));

  /** HSDS JSON, nested as publishers send it: each service with its provider organization. */
  function listings(provider: string, services: [id: string, name: string][]) {
    const organization = { id: randomUUID(), name: provider, description: `${provider} (test listing)` };
    return services.map(([id, name]) => ({ id, name, status: 'active', organization }));
  }

  async function importListings(maintainer: TestOrganization, services: object[]) {
    await directory()
      .post('/v1/directory/imports')
      .auth(kit.network.adminToken, { type: 'bearer' })
      .send({ services, maintainerOrganizationId: maintainer.id })
      .expect(200);
  }

  async function setCapacity(owner: TestOrganization, serviceId: string, capacity: object) {
    await directory().put(`/v1/directory/services/${serviceId}/capacity`).auth(owner.token, { type: 'bearer' }).send(capacity).expect(200);
  }

  const count = async (sql: string, values: unknown[], service: ServiceName = 'referral') => (await kit.sql(sql, values, service))[0].n as number;
  /** Everything the clinic and the pantry caused in the referral database. */
  const footprint = async () => ({
    referrals: await count(`SELECT count(*)::int AS n FROM referral WHERE sender_organization_id = ANY ($1::uuid[])`, [[clinic.id, pantry.id]]),
    // Clients are registered with the consent service now: nothing there either.
    clients: await count(`SELECT count(*)::int AS n FROM client WHERE created_by_organization_id = $1`, [clinic.id], 'consent'),
    timeline: await count(`SELECT count(*)::int AS n FROM referral_timeline WHERE author_organization_id = ANY ($1::uuid[])`, [[clinic.id, pantry.id]]),
    events: await count(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'data'->>'senderOrganizationId' = ANY ($1::text[])`, [[clinic.id, pantry.id]]),
    keys: await count(`SELECT count(*)::int AS n FROM idempotency_key WHERE organization_id = ANY ($1::uuid[])`, [[clinic.id, pantry.id]]),
  });

  beforeAll(async () => {
    clinic = await kit.network.organization({ kind: 'health-system' });
    pantry = await kit.network.organization();
    shelter = await kit.network.organization();
    await importListings(
      pantry,
      listings('Harbor Food Pantry', [
        [PANTRY_GROCERIES, 'Weekly groceries'],
        [PANTRY_HOT_MEALS, 'Hot meals'],
        [PANTRY_DELIVERY, 'Home delivery for seniors'],
      ]),
    );
    await importListings(
      shelter,
      listings('Bayside Shelter', [
        [SHELTER_BEDS, 'Emergency beds'],
        [SHELTER_CASE_MANAGEMENT, 'Housing case management'],
      ]),
    );
    // Capacity as the maintaining organizations report it, through the directory's maintenance API.
    await setCapacity(pantry, PANTRY_HOT_MEALS, { status: 'not-accepting' });
    await setCapacity(pantry, PANTRY_DELIVERY, { status: 'waitlist', expectedWaitDays: 21 });
    await setCapacity(shelter, SHELTER_BEDS, { status: 'not-accepting' });
    await setCapacity(shelter, SHELTER_CASE_MANAGEMENT, { status: 'waitlist', expectedWaitDays: 7 });
  }, 60_000);

  describe('POST /v1/referrals', () => {
    it('writes a referral to an accepting service of the receiver, with no warnings', async () => {
      const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: PANTRY_GROCERIES })).expect(201);
      expect(res.body).toMatchObject({ status: 'requested', receivingOrganizationId: pantry.id, receivingServiceId: PANTRY_GROCERIES, warnings: [] });
      const [row] = await kit.sql(`SELECT receiving_service_id FROM referral WHERE id = $1`, [res.body.id]);
      expect(row.receiving_service_id).toBe(PANTRY_GROCERIES);
    });

    it('follows capacity changes the directory announces: a service that closes its intake is refused, and taken again when it reopens', async () => {
      await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: PANTRY_GROCERIES })).expect(201);
      const [known] = await kit.sql(`SELECT capacity_status FROM receiving_service WHERE service_id = $1`, [PANTRY_GROCERIES]);
      expect(known.capacity_status).toBe('accepting');
      await setCapacity(pantry, PANTRY_GROCERIES, { status: 'not-accepting' });
      // No request reaches the directory for a known service: only the capacity event can bring the change.
      const closed = await pollUntil(
        () => kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: PANTRY_GROCERIES })),
        (res) => res.status !== 201,
        { timeoutMs: 15_000, what: 'directory.v1.capacity-changed to reach the referral service' },
      );
      expect(closed.status).toBe(422);
      expect(closed.body.code).toBe('referral.service-not-accepting');
      await setCapacity(pantry, PANTRY_GROCERIES, { status: 'accepting' });
      await pollUntil(
        () => kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: PANTRY_GROCERIES })),
        (res) => res.status === 201,
        { timeoutMs: 15_000, what: 'the reopening to reach the referral service' },
      );
    });

    it('follows what an import changes: a service handed to another organization, then retired, is refused; an unchanged re-import announces nothing', async () => {
      const mentoring = randomUUID();
      const [listing] = listings('Harbor Youth Mentoring', [[mentoring, 'Mentoring']]);
      await importListings(pantry, [listing]);
      await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: mentoring })).expect(201);
      const directoryDb = kit.network.service('directory').app.get(DataSource);
      const announced = async () =>
        (await directoryDb.query(`SELECT count(*)::int AS n FROM outbox WHERE subject LIKE '%directory.v1.service-updated' AND envelope->'data'->>'serviceId' = $1`, [mentoring]))[0].n;
      await importListings(pantry, [listing]);
      expect(await announced()).toBe(0);

      await importListings(shelter, [listing]);
      expect(await announced()).toBe(1);
      const moved = await pollUntil(
        () => kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: mentoring })),
        (res) => res.status !== 201,
        { timeoutMs: 15_000, what: 'the import’s directory.v1.service-updated to reach the referral service' },
      );
      expect([moved.status, fields(moved.body)]).toEqual([400, ['receivingServiceId']]);
      await kit.post(clinic, '/v1/referrals', kit.referralBody(shelter, { receivingServiceId: mentoring })).expect(201);

      await importListings(shelter, [{ ...listing, status: 'inactive' }]);
      const retired = await pollUntil(
        () => kit.post(clinic, '/v1/referrals', kit.referralBody(shelter, { receivingServiceId: mentoring })),
        (res) => res.status !== 201,
        { timeoutMs: 15_000, what: 'the retirement to reach the referral service' },
      );
      expect([retired.status, retired.body.code]).toEqual([422, 'referral.service-inactive']);
    });

    describe('refused, with nothing written', () => {
      let before: Awaited<ReturnType<typeof footprint>>;
      beforeEach(async () => {
        before = await footprint();
      });
      afterEach(async () => {
        expect(await footprint()).toEqual(before);
      });

      it('an unknown service → 400 naming receivingServiceId', async () => {
        const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: randomUUID() }), randomUUID()).expect(400);
        expect(fields(res.body)).toEqual(['receivingServiceId']);
        expect(res.body.errors[0].messages).toEqual([expect.stringContaining('not a service in the directory')]);
      });

      it('a service maintained by another organization than the receiver → 400 naming receivingServiceId', async () => {
        const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: SHELTER_BEDS }), randomUUID()).expect(400);
        expect(fields(res.body)).toEqual(['receivingServiceId']);
        expect(res.body.errors[0].messages).toEqual([expect.stringContaining('another organization')]);
      });

      it('a not-accepting service → 422 referral.service-not-accepting', async () => {
        const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingServiceId: PANTRY_HOT_MEALS }), randomUUID()).expect(422);
        expect(res.body).toMatchObject({ code: 'referral.service-not-accepting', receivingServiceId: PANTRY_HOT_MEALS });
      });
    });

    it('writes a referral to a waitlisted service and warns with the expected wait; a replay repeats the warning', async () => {
      const key = randomUUID();
      const body = kit.referralBody(pantry, { receivingServiceId: PANTRY_DELIVERY });
      const res = await kit.post(clinic, '/v1/referrals', body, key).expect(201);
      expect(res.body.warnings).toEqual([
        { code: 'referral.service-waitlist', message: 'The receiving service has a waitlist; expected wait 21 days', expectedWaitDays: 21 },
      ]);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE id = $1`, [res.body.id])).toBe(1);
      const replay = await kit.post(clinic, '/v1/referrals', body, key).expect(201);
      expect(replay.body).toEqual(res.body);
    });
  });

  describe('POST /v1/referrals/:id/forward', () => {
    const forward = (id: string, receivingServiceId: string) =>
      kit.post(pantry, `/v1/referrals/${id}/forward`, { receivingOrganizationId: shelter.id, receivingServiceId, reason: 'They house families', version: 1 });

    it('refuses unknown, other-organization and not-accepting services, leaving the original untouched', async () => {
      const original = await kit.create(clinic, pantry, { needs: ['housing-instability'] });
      const before = await footprint();

      const unknown = await forward(original.id, randomUUID()).expect(400);
      expect(fields(unknown.body)).toEqual(['receivingServiceId']);
      const someoneElses = await forward(original.id, PANTRY_GROCERIES).expect(400);
      expect(fields(someoneElses.body)).toEqual(['receivingServiceId']);
      const full = await forward(original.id, SHELTER_BEDS).expect(422);
      expect(full.body.code).toBe('referral.service-not-accepting');

      expect(await footprint()).toEqual(before);
      expect(await kit.read(pantry, original.id)).toMatchObject({ status: 'requested', version: 1, forwardedToId: null });
    });

    it('forwards to a waitlisted service with the expected wait as a warning', async () => {
      const original = await kit.create(clinic, pantry, { needs: ['housing-instability'] });
      // A forward carries the client on only under a consent for the new receiver.
      await kit.grant(clinic, original.clientId, [shelter]);
      const res = await forward(original.id, SHELTER_CASE_MANAGEMENT).expect(201);
      expect(res.body).toMatchObject({
        receivingOrganizationId: shelter.id,
        receivingServiceId: SHELTER_CASE_MANAGEMENT,
        forwardedFromId: original.id,
        warnings: [{ code: 'referral.service-waitlist', expectedWaitDays: 7, message: expect.stringContaining('7 days') }],
      });
    });
  });
});
