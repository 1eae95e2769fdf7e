import request from 'supertest';
import { DataSource } from 'typeorm';
import { TestNetwork, TestOrganization } from '@nwd/testing';
import { HSDS_TABLES } from '../src/hsds/hsds-tables';
import { DirectoryModel, instantIn, ModelService, Place } from './support/confidential-directory';

/**
 * A location shared with a confidential listing is hidden for every service there, by every path, and the
 * listing changes around it are permitted and audited as the README says. (The property-based suite beside this
 * one runs random sequences of the same changes.)
 */
describe('confidential listings and the locations they share', () => {
  let network: TestNetwork;
  let dataSource: DataSource;
  type Maintainer = TestOrganization & { orgAdminToken: string; orgAdminClientId: string };
  let a: Maintainer;
  let b: Maintainer;
  let outsider: TestOrganization;
  let model: DirectoryModel;
  const server = () => network.server('directory');

  beforeAll(async () => {
    network = await TestNetwork.start([], { env: { directory: { NWD_STALE_SWEEP_INTERVAL_SECONDS: 0, NWD_DIRECTORY_TIME_ZONE: 'UTC' } } });
    dataSource = network.service('directory').app.get(DataSource);
    const withAdmin = async () => {
      const organization = await network.organization({ kind: 'cbo', roles: ['staff'] });
      const orgAdmin = await network.client(organization.id, ['org-admin']);
      return { ...organization, orgAdminToken: orgAdmin.token, orgAdminClientId: orgAdmin.clientId };
    };
    a = await withAdmin();
    b = await withAdmin();
    outsider = await network.organization({ kind: 'cbo', roles: ['staff'] });
  }, 60_000);
  afterAll(() => network?.close());

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE ${HSDS_TABLES.map((t) => `hsds_${t.name}`).join(', ')}, listing_search, taxonomy_term_need_domain, search_word`);
    model = new DirectoryModel(3, [0.2, 0.5, 0.8]);
    await importTables(model.package([]));
  });

  const importTables = async (tables: Record<string, string>, maintainer?: TestOrganization) => {
    const res = await request(server())
      .post('/v1/directory/imports')
      .auth(network.adminToken, { type: 'bearer' })
      .send({ tables, ...(maintainer ? { maintainerOrganizationId: maintainer.id } : {}) });
    expect([res.status, res.body.problems ?? []]).toEqual([200, []]);
  };
  const addService = async (maintainer: TestOrganization, places: number[], ownHours = false): Promise<ModelService> => {
    const service = model.addService(maintainer === a ? 'a' : 'b', 0, places, ownHours);
    await importTables(model.package([service], false), maintainer);
    return service;
  };
  const search = async (query: string) =>
    (await request(server()).get(`/v1/directory/search?${query}&limit=100`).auth(outsider.token, { type: 'bearer' }).expect(200)).body;
  const near = (place: Place) => search(`lat=${place.lat}&lon=${place.lon}&radiusKm=2`);
  const setConfidential = (service: ModelService, value: boolean, token: string) =>
    request(server()).patch(`/v1/directory/services/${service.id}`).auth(token, { type: 'bearer' }).send({ confidential: value });
  const patchLocation = (id: string, token: string, body: object = { name: 'Renamed site' }) =>
    request(server()).patch(`/v1/directory/locations/${id}`).auth(token, { type: 'bearer' }).send(body);
  type Result = { serviceId: string; locationId: string | null; serviceAtLocationId: string | null; confidential: boolean; distanceKm?: number };
  const listingOf = (body: { results: Result[] }, service: ModelService) => body.results.filter((r) => r.serviceId === service.id);

  it('a public service keeps no location once a listing at the same place is made confidential, and gets it back when that is lifted', async () => {
    const place = model.places[0];
    const publicService = await addService(b, [0]);
    const shelter = await addService(a, [0]);
    expect((await near(place)).total).toBe(2);

    await setConfidential(shelter, true, a.token).expect(200);
    const found = await near(place);
    expect(found.total).toBe(0);
    const byNeed = await search('need=intimate-partner-violence');
    for (const service of [publicService, shelter]) {
      expect(listingOf(byNeed, service)).toEqual([expect.objectContaining({ confidential: true, locationId: null, serviceAtLocationId: null })]);
      expect(listingOf(byNeed, service)[0].distanceKm).toBeUndefined();
    }
    expect(JSON.stringify(byNeed)).not.toContain(place.id);
    const rows = await dataSource.query(`SELECT location_id, service_at_location_id, latitude, postal_code FROM listing_search`);
    expect(rows).toEqual([
      { location_id: null, service_at_location_id: null, latitude: null, postal_code: null },
      { location_id: null, service_at_location_id: null, latitude: null, postal_code: null },
    ]);

    await setConfidential(shelter, false, a.orgAdminToken).expect(200);
    const again = await near(place);
    expect(again.results.map((r: Result) => [r.serviceId, r.locationId]).sort()).toEqual(
      [[publicService.id, place.id], [shelter.id, place.id]].sort(),
    );
  });

  it('a listing imported at a hidden place, or a confidential one imported beside a public one, hides the place; moves keep it hidden', async () => {
    const place = model.places[1];
    const shelter = await addService(a, [1]);
    await setConfidential(shelter, true, a.token).expect(200);
    const later = await addService(b, [2]);
    expect((await near(model.places[2])).total).toBe(1);

    // The public service is given a listing at the hidden place by an import: hidden from the start.
    await importTables(model.listingsPackage(later, [model.addListing(later, 1, true)]));
    expect((await near(place)).total).toBe(0);
    const locations = listingOf(await search('need=intimate-partner-violence'), later).map((r) => r.locationId);
    expect(locations.sort()).toEqual([model.places[2].id, null].sort());
    // The shelter is given a listing where the public service already was: that place is hidden now, for both.
    await importTables(model.listingsPackage(shelter, [model.addListing(shelter, 2, false)]));
    expect((await near(model.places[2])).total).toBe(0);
    expect(listingOf(await search('need=intimate-partner-violence'), later).map((r) => r.locationId)).toEqual([null, null]);
    // The location moved, by a network admin and by a re-import: still nothing at either position.
    model.move(place, 0.9);
    await patchLocation(place.id, network.adminToken, { latitude: place.lat, longitude: place.lon }).expect(200);
    expect((await near(place)).total).toBe(0);
    model.move(place, 0.1);
    await importTables(model.package());
    expect((await near(place)).total).toBe(0);
    expect((await near(model.places[2])).total).toBe(0);
  });

  it('a confidential listing moved elsewhere by a re-import hides its new place and shows its old one again', async () => {
    const [from, to] = [model.places[0], model.places[1]];
    const stays = await addService(b, [0]);
    const joins = await addService(b, [1]);
    const shelter = await addService(a, [0]);
    await setConfidential(shelter, true, a.token).expect(200);
    expect((await near(from)).total).toBe(0);
    expect((await near(to)).total).toBe(1);

    shelter.listings[0].place = 1;
    await importTables(model.listingsPackage(shelter, shelter.listings));
    expect((await near(to)).total).toBe(0);
    const back = await near(from);
    expect(back.results.map((r: Result) => [r.serviceId, r.locationId])).toEqual([[stays.id, from.id]]);
    expect(listingOf(await search('need=intimate-partner-violence'), joins)).toEqual([expect.objectContaining({ locationId: null })]);
  });

  it('edits of listings sharing a location, made at the same time, all succeed and leave the place hidden as the last one says', async () => {
    const place = model.places[0];
    const publicService = await addService(b, [0]);
    const shelter = await addService(a, [0]);
    // Each edit refreshes the search rows of both services; concurrent refreshes wait for each other
    // instead of meeting on the rows' key (which answered 500 to one of them).
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        setConfidential(shelter, round % 2 === 0, a.orgAdminToken),
        request(server()).patch(`/v1/directory/services/${publicService.id}`).auth(b.token, { type: 'bearer' }).send({ description: `round ${round}` }),
        request(server()).patch(`/v1/directory/services/${shelter.id}`).auth(a.token, { type: 'bearer' }).send({ description: `round ${round}` }),
      ]);
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
      expect((await near(place)).total).toBe(round % 2 === 0 ? 0 : 2);
    }
    const rows = await dataSource.query(`SELECT count(*)::int AS n FROM listing_search`);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('the hidden location’s languages and hours feed no facet or filter; the services’ own still do', async () => {
    const place = model.places[0];
    const service = await addService(b, [0], true);
    const shelter = await addService(a, [0]);
    const [listing] = service.listings;
    expect((await search('')).facets.languages[place.language.toLowerCase()]).toBe(2);
    expect((await search(`openAt=${instantIn(place.openMinute)}`)).total).toBe(1); // the shelter: the location's hours
    expect((await search(`openAt=${instantIn(listing.openMinute!)}`)).total).toBe(1); // the service's hours there

    await setConfidential(shelter, true, a.token).expect(200);
    const all = await search('');
    expect(all.total).toBe(2);
    expect(Object.keys(all.facets.languages).sort()).toEqual(['es', 'spanish']);
    expect((await search(`language=${encodeURIComponent(place.language)}`)).total).toBe(0);
    expect((await search(`language=${place.languageCode}`)).total).toBe(0);
    expect((await search('language=spanish')).total).toBe(2);
    expect((await search(`openAt=${instantIn(place.openMinute)}`)).total).toBe(0);
    expect((await search(`openAt=${instantIn(listing.openMinute!)}`)).total).toBe(0);
    // Hours of the service itself are not the location's.
    await request(server())
      .put(`/v1/directory/services/${shelter.id}/schedules`)
      .auth(a.token, { type: 'bearer' })
      .send({ schedules: [{ byday: 'MO', opens_at: '09:00', closes_at: '10:00' }] })
      .expect(200);
    expect(listingOf(await search('openAt=2024-03-18T09:30:00Z'), shelter)).toHaveLength(1);
  });

  it('hours worked out for a listing while its location was public are not written once it is hidden', async () => {
    const service = await addService(b, [0], true);
    const shelter = await addService(a, [0]);
    await setConfidential(shelter, true, a.token).expect(200);
    const [listing] = service.listings;
    // As a writer whose hours query ran just before another transaction hid the location would call it.
    const refresh = (hidden: boolean) =>
      dataSource.query(`SELECT refresh_listing_search($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::boolean[])`, [
        [service.id],
        [listing.id],
        ['{[0,10080)}'],
        ['UTC'],
        [hidden],
      ]);
    const hours = async () => (await dataSource.query(`SELECT weekly_hours::text FROM listing_search WHERE listing_key = $1`, [listing.id]))[0].weekly_hours;
    await refresh(false);
    expect(await hours()).toBeNull();
    await refresh(true);
    expect(await hours()).toBe('{[0,10080)}');
  });

  it('the open data counts only what it shows', async () => {
    const provider = model.providers[0];
    await addService(b, [0, 1]);
    const shelter = await addService(a, [0]);
    const sals = (query: string) => request(server()).get(`/hsds/service_at_locations?${query}`).expect(200);
    expect((await sals(`organization_id=${provider}`)).body.total_items).toBe(3);

    await setConfidential(shelter, true, a.token).expect(200);
    const page = (await sals(`organization_id=${provider}&per_page=1`)).body;
    expect(page).toMatchObject({ total_items: 1, total_pages: 1, size: 1, last_page: true });
    expect(page.contents.map((s: { location_id: string }) => s.location_id)).toEqual([model.places[1].id]);
    expect((await sals(`postcode=${model.places[0].postalCode}`)).body).toMatchObject({ total_items: 0, empty: true });
    expect((await sals(`postcode=${model.places[1].postalCode}`)).body.total_items).toBe(1);
  });

  it('an edit of a hidden location by an organization that maintains nothing there is answered as for an unknown id', async () => {
    const shelter = await addService(a, [0]);
    await addService(b, [1]);
    const unknown = '0b0e0e0f-0000-4000-8000-000000000000';
    const shape = (res: request.Response, id: string) => {
      const { requestId: _requestId, instance: _instance, ...body } = res.body;
      return { status: res.status, type: res.type, body: JSON.parse(JSON.stringify(body).split(id).join('<id>')) };
    };
    // A public location: the outsider is refused, as before.
    await patchLocation(model.places[1].id, outsider.token).expect(403);
    await setConfidential(shelter, true, a.token).expect(200);
    const hidden = await patchLocation(model.places[0].id, outsider.token);
    const missing = await patchLocation(unknown, outsider.token);
    expect(shape(hidden, model.places[0].id)).toEqual(shape(missing, unknown));
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ code: 'directory.location-not-found' });
    // The maintainer edits it; a bad edit is refused the same way for a hidden and an unknown location.
    await patchLocation(model.places[0].id, a.token).expect(200);
    const bad = { latitude: 1 };
    expect(shape(await patchLocation(model.places[0].id, outsider.token, bad), model.places[0].id)).toEqual(shape(await patchLocation(unknown, outsider.token, bad), unknown));
  });

  it('lifting confidentiality takes the maintaining organization’s org-admin or a network admin; staff and others get 403', async () => {
    const shelter = await addService(a, [0]);
    await setConfidential(shelter, true, a.token).expect(200);
    const refused = await setConfidential(shelter, false, a.token).expect(403);
    expect(refused.body.code).toBe('directory.confidentiality-lift-forbidden');
    await setConfidential(shelter, false, b.orgAdminToken).expect(403);
    // Nothing of a refused request is kept, the other fields included.
    await request(server()).patch(`/v1/directory/services/${shelter.id}`).auth(a.token, { type: 'bearer' }).send({ name: 'Renamed', confidential: false }).expect(403);
    const [row] = await dataSource.query(`SELECT name, confidential FROM hsds_service WHERE id = $1`, [shelter.id]);
    expect(row).toEqual({ name: shelter.name, confidential: true });
    await setConfidential(shelter, false, a.orgAdminToken).expect(200);
    await setConfidential(shelter, true, a.token).expect(200);
    await setConfidential(shelter, false, network.adminToken).expect(200);
    // Asking for what already holds is no change.
    await setConfidential(shelter, false, a.token).expect(200);
  });

  it('every listing change is in the audit log, in its transaction, with who made it', async () => {
    const shelter = await addService(a, [0]);
    const call = (method: 'patch' | 'put' | 'post', path: string, token: string, body?: object) =>
      request(server())[method](path).auth(token, { type: 'bearer' }).send(body);
    const [{ max }] = await dataSource.query(`SELECT coalesce(max(id), 0) AS max FROM audit_event`);
    await call('patch', `/v1/directory/services/${shelter.id}`, a.token, { name: 'Night shelter' }).expect(200);
    await call('put', `/v1/directory/services/${shelter.id}/capacity`, a.token, { status: 'waitlist', expectedWaitDays: 3 }).expect(200);
    await call('put', `/v1/directory/services/${shelter.id}/schedules`, a.token, { schedules: [{ byday: 'MO', opens_at: '09:00', closes_at: '17:00' }] }).expect(200);
    await call('post', `/v1/directory/services/${shelter.id}/verify`, a.token).expect(200);
    await call('patch', `/v1/directory/locations/${model.places[0].id}`, a.token, { name: 'Side entrance' }).expect(200);
    await call('patch', `/v1/directory/services/${shelter.id}`, a.token, { confidential: true }).expect(200);
    await call('patch', `/v1/directory/services/${shelter.id}`, a.token, { confidential: false }).expect(403);
    await call('patch', `/v1/directory/services/${shelter.id}`, a.orgAdminToken, { confidential: false }).expect(200);

    const events = await request(server()).get('/v1/audit-events?limit=20').auth(network.adminToken, { type: 'bearer' }).expect(200);
    const listing = events.body.data
      .filter((e: { id: string }) => BigInt(e.id) > BigInt(max))
      .reverse()
      .map((e: { action: string; targetType: string; targetId: string; actorSubject: string; actorOrganizationId: string; details: object }) => [
        e.action,
        e.targetType,
        e.targetId,
        e.actorSubject,
        e.actorOrganizationId,
        e.details,
      ]);
    expect(listing).toEqual([
      ['listing.updated', 'service', shelter.id, a.clientId, a.id, { changes: { name: 'Night shelter' } }],
      ['listing.capacity-changed', 'service', shelter.id, a.clientId, a.id, { previousStatus: 'accepting', status: 'waitlist', expectedWaitDays: 3 }],
      ['listing.schedules-replaced', 'service', shelter.id, a.clientId, a.id, { schedules: [{ byday: 'MO', opens_at: '09:00', closes_at: '17:00' }] }],
      ['listing.verified', 'service', shelter.id, a.clientId, a.id, {}],
      ['listing.location-updated', 'location', model.places[0].id, a.clientId, a.id, { changes: { name: 'Side entrance' }, services: [shelter.id] }],
      ['listing.confidentiality-set', 'service', shelter.id, a.clientId, a.id, {}],
      ['listing.confidentiality-lifted', 'service', shelter.id, a.orgAdminClientId, a.id, {}],
    ]);
    const lifted = await request(server()).get('/v1/audit-events?action=listing.confidentiality-lifted').auth(network.adminToken, { type: 'bearer' }).expect(200);
    expect(lifted.body.data.map((e: { targetId: string }) => e.targetId)).toContain(shelter.id);
  });

  it('an applied import is in the audit log with who ran it and what it wrote; a refused or dry-run one is not', async () => {
    const since = async () => (await dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM audit_event`))[0].max as string;
    const importsAfter = async (max: string) =>
      dataSource.query(`SELECT actor_subject, target_type, details FROM audit_event WHERE action = 'listing.imported' AND id > $1 ORDER BY id`, [max]);
    const before = await since();
    const service = await addService(a, [0, 1]);
    expect(await importsAfter(before)).toEqual([
      {
        actor_subject: network.adminClientId,
        target_type: 'import',
        details: {
          maintainerOrganizationId: a.id,
          counts: {
            service: { inserted: 1, updated: 0, unchanged: 0 },
            attribute: { inserted: 1, updated: 0, unchanged: 0 },
            service_at_location: { inserted: 2, updated: 0, unchanged: 0 },
            language: { inserted: 1, updated: 0, unchanged: 0 },
          },
        },
      },
    ]);
    const after = await since();
    const refused = model.package([service], false);
    refused['services.csv'] = refused['services.csv'].replace(',active', ',open');
    await request(server()).post('/v1/directory/imports').auth(network.adminToken, { type: 'bearer' }).send({ tables: refused }).expect(422);
    await request(server()).post('/v1/directory/imports').auth(network.adminToken, { type: 'bearer' }).send({ tables: model.package(), dryRun: true }).expect(200);
    expect(await importsAfter(after)).toEqual([]);
  });

  it('a hidden listing is ordered by its service, not by its service-at-location id', async () => {
    const first = model.addService('a', 0, [0], false);
    const second = model.addService('a', 0, [1], false);
    // The hidden listing's own id would put it last; its service's id puts it first.
    first.id = '00000000-0000-4000-8000-000000000001';
    first.listings[0].id = 'ffffffff-0000-4000-8000-000000000001';
    second.id = '80000000-0000-4000-8000-000000000001';
    second.listings[0].id = '80000000-0000-4000-8000-000000000002';
    await importTables(model.package([first, second], false), a);
    await setConfidential(first, true, network.adminToken).expect(200);
    expect((await search('')).results.map((r: { serviceId: string }) => r.serviceId)).toEqual([first.id, second.id]);
  });
});
