import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TestNetwork, TestOrganization } from '@nwd/testing';
import { HSDS_TABLES } from '../src/hsds/hsds-tables';
import { DirectoryModel, instantIn, MAX_PLACES, ModelService, offset } from './support/confidential-directory';

/**
 * A confidential location never leaks, whatever happens to the listings around it. Random sequences of listing
 * creation, co-location, confidentiality changes, edits, location moves and re-imports run against the real
 * directory (through its API, as members and network admins would), mirrored in a model that knows which places
 * are hidden: every place a confidential listing is delivered at, for every service there. After every step the
 * search is probed around each hidden place; after each sequence every endpoint is: search (radius bisection from
 * three points as an attacker would, facets, language and open-at filters), the HSDS lists and their counts, the
 * export, and the errors of an edit of a hidden location. No response may carry a hidden place's coordinates,
 * ids, postcode, address, language, phone or hours.
 */

type Action =
  | { kind: 'add-service'; maintainer: 'a' | 'b'; provider: number; places: number[]; ownHours: boolean }
  | { kind: 'co-locate'; service: number; place: number; ownHours: boolean }
  | { kind: 'move-listing'; service: number; place: number }
  | { kind: 'confidential'; service: number; value: boolean; as: 'staff' | 'org-admin' | 'network-admin' }
  | { kind: 'edit-service'; service: number }
  | { kind: 'move-location'; place: number; jitter: number }
  | { kind: 'reimport'; move?: { place: number; jitter: number } }
  | { kind: 'schedules'; service: number }
  | { kind: 'capacity'; service: number; status: 'accepting' | 'not-accepting' }
  | { kind: 'verify'; service: number };

const place = fc.nat({ max: MAX_PLACES - 1 });
const service = fc.nat({ max: 20 });
const addService = fc.record({
  kind: fc.constant('add-service' as const),
  maintainer: fc.constantFrom('a' as const, 'b' as const),
  provider: fc.nat({ max: 1 }),
  places: fc.uniqueArray(place, { maxLength: 2 }),
  ownHours: fc.boolean(),
});
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: addService, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('co-locate' as const), service, place, ownHours: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('move-listing' as const), service, place }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('confidential' as const),
      service,
      value: fc.boolean(),
      as: fc.constantFrom('staff' as const, 'org-admin' as const, 'network-admin' as const),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('edit-service' as const), service }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('move-location' as const), place, jitter: fc.double({ min: 0, max: 1, noNaN: true }) }), weight: 2 },
  {
    arbitrary: fc.record(
      { kind: fc.constant('reimport' as const), move: fc.record({ place, jitter: fc.double({ min: 0, max: 1, noNaN: true }) }) },
      { requiredKeys: ['kind'] },
    ),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('schedules' as const), service }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('capacity' as const), service, status: fc.constantFrom('accepting' as const, 'not-accepting' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('verify' as const), service }), weight: 1 },
);
const scenario = fc.record({
  places: fc.integer({ min: 2, max: MAX_PLACES }),
  jitters: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: MAX_PLACES, maxLength: MAX_PLACES }),
  first: fc.array(addService, { minLength: 2, maxLength: 3 }),
  then: fc.array(action, { minLength: 1, maxLength: 8 }),
});

describe('a confidential location never leaks (property)', () => {
  let network: TestNetwork;
  let dataSource: DataSource;
  let maintainers: Record<'a' | 'b', TestOrganization & { orgAdminToken: string }>;
  let outsider: TestOrganization;
  const server = () => network.server('directory');

  beforeAll(async () => {
    network = await TestNetwork.start([], {
      env: { directory: { NWD_STALE_SWEEP_INTERVAL_SECONDS: 0, NWD_DIRECTORY_TIME_ZONE: 'UTC', NWD_RATE_LIMIT_PER_MINUTE: 1_000_000 } },
    });
    dataSource = network.service('directory').app.get(DataSource);
    const withAdmin = async () => {
      const organization = await network.organization({ kind: 'cbo', roles: ['staff'] });
      return { ...organization, orgAdminToken: (await network.client(organization.id, ['org-admin'])).token };
    };
    maintainers = { a: await withAdmin(), b: await withAdmin() };
    outsider = await network.organization({ kind: 'cbo', roles: ['staff'] });
  }, 60_000);
  afterAll(() => network?.close());

  /** The HSDS tables and everything derived from them, emptied between sequences (the audit log stays). */
  const reset = () =>
    dataSource.query(`TRUNCATE ${HSDS_TABLES.map((t) => `hsds_${t.name}`).join(', ')}, listing_search, taxonomy_term_need_domain, search_word`);

  const importTables = async (tables: Record<string, string>, maintainer?: 'a' | 'b') => {
    const res = await request(server())
      .post('/v1/directory/imports')
      .auth(network.adminToken, { type: 'bearer' })
      .send({ tables, ...(maintainer ? { maintainerOrganizationId: maintainers[maintainer].id } : {}) });
    expect([res.status, res.body.problems ?? []]).toEqual([200, []]);
  };

  const maintenance = (method: 'patch' | 'put' | 'post', path: string, token: string, body?: object) =>
    request(server())[method](path).auth(token, { type: 'bearer' }).send(body);

  async function apply(model: DirectoryModel, step: Action): Promise<void> {
    const pick = (index: number): ModelService | undefined => model.services[index % model.services.length];
    switch (step.kind) {
      case 'add-service': {
        const added = model.addService(step.maintainer, step.provider, step.places.filter((p) => p < model.places.length), step.ownHours);
        await importTables(model.package([added], false), step.maintainer);
        return;
      }
      case 'co-locate': {
        const target = pick(step.service);
        const where = step.place % model.places.length;
        if (!target || target.listings.some((l) => l.place === where)) return;
        const listing = model.addListing(target, where, step.ownHours);
        await importTables(model.listingsPackage(target, [listing]));
        return;
      }
      case 'move-listing': {
        // A re-import that gives one of a service's listings another location.
        const target = pick(step.service);
        const where = step.place % model.places.length;
        const listing = target?.listings[0];
        if (!target || !listing || target.listings.some((l) => l.place === where)) return;
        listing.place = where;
        await importTables(model.listingsPackage(target, [listing]));
        return;
      }
      case 'confidential': {
        const target = pick(step.service);
        if (!target) return;
        const owner = maintainers[target.maintainer];
        const token = step.as === 'staff' ? owner.token : step.as === 'org-admin' ? owner.orgAdminToken : network.adminToken;
        const res = await maintenance('patch', `/v1/directory/services/${target.id}`, token, { confidential: step.value });
        // Only the maintaining organization's admin or a network admin may lift confidentiality.
        const refused = target.confidential && !step.value && step.as === 'staff';
        expect(res.status).toBe(refused ? 403 : 200);
        if (!refused) target.confidential = step.value;
        return;
      }
      case 'edit-service': {
        const target = pick(step.service);
        if (!target) return;
        target.name = `${target.name} renamed`;
        await maintenance('patch', `/v1/directory/services/${target.id}`, maintainers[target.maintainer].token, { name: target.name }).expect(200);
        return;
      }
      case 'move-location': {
        const moved = model.places[step.place % model.places.length];
        model.move(moved, step.jitter);
        await maintenance('patch', `/v1/directory/locations/${moved.id}`, network.adminToken, { latitude: moved.lat, longitude: moved.lon }).expect(200);
        return;
      }
      case 'reimport': {
        if (step.move) {
          model.move(model.places[step.move.place % model.places.length], step.move.jitter);
        }
        await importTables(model.package());
        return;
      }
      case 'schedules': {
        const target = pick(step.service);
        if (!target) return;
        const body = { schedules: [{ byday: 'MO,TU', opens_at: '09:00', closes_at: '17:00' }] };
        await maintenance('put', `/v1/directory/services/${target.id}/schedules`, maintainers[target.maintainer].token, body).expect(200);
        return;
      }
      case 'capacity': {
        const target = pick(step.service);
        if (!target) return;
        await maintenance('put', `/v1/directory/services/${target.id}/capacity`, maintainers[target.maintainer].token, { status: step.status }).expect(200);
        return;
      }
      case 'verify': {
        const target = pick(step.service);
        if (!target) return;
        await maintenance('post', `/v1/directory/services/${target.id}/verify`, maintainers[target.maintainer].token).expect(200);
        return;
      }
    }
  }

  /** Every response a probe saw, for the trace check. */
  class Responses {
    readonly seen: { what: string; body: unknown }[] = [];

    async get(path: string, token: string | undefined, status = 200): Promise<any> {
      const req = request(server()).get(path);
      const res = await (token ? req.auth(token, { type: 'bearer' }) : req);
      expect([path, res.status]).toEqual([path, status]);
      this.seen.push({ what: `GET ${path}`, body: res.type === 'text/csv' ? res.text : res.body });
      return res.body;
    }

    search(query: string): Promise<any> {
      return this.get(`/v1/directory/search?${query}&limit=100`, outsider.token);
    }
  }

  /** What the search shows near and about each hidden place: nothing at all. */
  async function probeSearch(model: DirectoryModel, responses: Responses, bisect: boolean): Promise<void> {
    await responses.search('need=intimate-partner-violence');
    for (const hidden of model.hiddenPlaces()) {
      const near = await responses.search(`lat=${hidden.lat}&lon=${hidden.lon}&radiusKm=2`);
      expect(near.total).toBe(0);
      expect((await responses.search(`language=${encodeURIComponent(hidden.language)}`)).total).toBe(0);
      expect((await responses.search(`language=${hidden.languageCode}`)).total).toBe(0);
      const index = model.places.indexOf(hidden);
      const slots = [hidden.openMinute, ...model.services.flatMap((s) => s.listings.filter((l) => l.place === index).map((l) => l.openMinute))];
      for (const minute of slots) {
        if (minute === null) continue;
        expect((await responses.search(`openAt=${instantIn(minute)}`)).total).toBe(0);
      }
      if (!bisect) continue;
      // Trilateration, as the attacker did it: from three points 1.5 km away, bisect the radius at which a
      // listing appears (its distance). No other place lies within 4.5 km of these points, so every answer
      // must be empty; a leak would draw the bisection in to 1.5 km.
      for (const bearing of [0, 120, 240]) {
        const from = offset(hidden.lat, hidden.lon, 1.5, bearing);
        const totals: number[] = [];
        let [low, high] = [0.1, 3];
        for (let step = 0; step < 6; step++) {
          const radius = Math.round(((low + high) / 2) * 1000) / 1000;
          const { total } = await responses.search(`lat=${from.lat}&lon=${from.lon}&radiusKm=${radius}`);
          totals.push(total);
          if (total > 0) high = radius;
          else low = radius;
        }
        expect(totals).toEqual([0, 0, 0, 0, 0, 0]);
      }
    }
  }

  /** Every other endpoint: the open data with its counts, single records, the export, and the errors. */
  async function probeEverything(model: DirectoryModel, responses: Responses): Promise<void> {
    await probeSearch(model, responses, true);
    await responses.search('');
    // Hidden for everyone, but no more than that: every listing at a public place is found there, with its location.
    for (const [k, place] of model.places.entries()) {
      if (model.isHidden(k)) continue;
      const expected = model.services.flatMap((s) => s.listings.filter((l) => l.place === k).map((l) => `${s.id} ${l.id} ${place.id}`));
      const found = await responses.search(`lat=${place.lat}&lon=${place.lon}&radiusKm=2`);
      const results = found.results.map((r: { serviceId: string; serviceAtLocationId: string; locationId: string }) => `${r.serviceId} ${r.serviceAtLocationId} ${r.locationId}`);
      expect(results.sort()).toEqual(expected.sort());
    }
    const shown = model.publicListings();
    const sals = await responses.get('/hsds/service_at_locations?full=true&per_page=100', undefined);
    expect(sals.total_items).toBe(shown.length);
    expect(sals.contents.map((s: { id: string }) => s.id).sort()).toEqual(shown.map((s) => s.listing.id).sort());
    for (const [k, provider] of model.providers.entries()) {
      const ofProvider = await responses.get(`/hsds/service_at_locations?organization_id=${provider}&per_page=100`, undefined);
      expect(ofProvider.total_items).toBe(shown.filter((s) => s.service.provider === k).length);
      expect(ofProvider.size).toBe(ofProvider.total_items);
      const services = await responses.get(`/hsds/services?organization_id=${provider}&full=true&per_page=100`, undefined);
      expect(services.total_items).toBe(model.services.filter((s) => s.provider === k && !s.confidential).length);
      await responses.get(`/hsds/organizations/${provider}?full_service=true`, undefined);
    }
    await responses.get('/hsds/organizations?full=true&full_service=true&per_page=100', undefined);
    await responses.get('/hsds/services?per_page=100', undefined);
    for (const place of model.places) {
      const byPostcode = await responses.get(`/hsds/service_at_locations?postcode=${place.postalCode}&per_page=100`, undefined);
      expect(byPostcode.total_items).toBe(shown.filter((s) => model.places[s.listing.place] === place).length);
    }
    for (const s of model.services) {
      await responses.get(`/hsds/services/${s.id}`, undefined, s.confidential ? 404 : 200);
      await responses.get(`/v1/directory/services/${s.id}`, outsider.token);
      for (const listing of s.listings) {
        const open = !s.confidential && !model.isHidden(listing.place);
        await responses.get(`/hsds/service_at_locations/${listing.id}`, undefined, open ? 200 : 404);
      }
    }
    for (const file of ['locations.csv', 'addresses.csv', 'service_at_location.csv', 'phones.csv', 'schedules.csv', 'languages.csv', 'accessibility.csv', 'services.csv', 'attributes.csv']) {
      await responses.get(`/v1/directory/export/${file}`, network.adminToken);
    }
    // An edit of a hidden location by anyone who maintains nothing there is answered as for a location that does not exist.
    for (const hidden of model.hiddenPlaces()) {
      const unknown = '0b0e0e0f-0000-4000-8000-000000000000';
      const asked = await request(server()).patch(`/v1/directory/locations/${hidden.id}`).auth(outsider.token, { type: 'bearer' }).send({ name: 'x' });
      const missing = await request(server()).patch(`/v1/directory/locations/${unknown}`).auth(outsider.token, { type: 'bearer' }).send({ name: 'x' });
      const shape = (res: request.Response, id: string) => {
        const { requestId: _requestId, instance: _instance, ...rest } = res.body;
        return { status: res.status, type: res.type, body: JSON.parse(JSON.stringify(rest).split(id).join('<id>')) };
      };
      expect(shape(asked, hidden.id)).toEqual(shape(missing, unknown));
      expect(asked.status).toBe(404);
    }
  }

  function expectNoTrace(model: DirectoryModel, responses: Responses): void {
    for (const hidden of model.hiddenPlaces()) {
      const { ids, texts, exact } = model.traces(hidden);
      const needles = [...ids, ...texts].map((t) => t.toLowerCase());
      for (const { what, body } of responses.seen) {
        for (const value of leaves(body)) {
          const text = String(value).toLowerCase();
          // An id the request itself named may come back in its error (`No … <id>`): that says nothing new.
          const found = needles.find((needle) => text.includes(needle) && !what.toLowerCase().includes(needle)) ?? exact.find((e) => text === e);
          expect([what, found]).toEqual([what, undefined]);
          const number = typeof value === 'number' ? value : Number(value);
          if (Number.isFinite(number)) {
            expect([what, Math.abs(number - hidden.lat) < 1e-3 || Math.abs(number - hidden.lon) < 1e-3]).toEqual([what, false]);
          }
          expect([what, text.includes(hidden.lat.toFixed(4)) || text.includes(hidden.lon.toFixed(4))]).toEqual([what, false]);
        }
      }
    }
  }

  it('no sequence of listing changes reveals a confidential location through any endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ places, jitters, first, then }) => {
        await reset();
        const model = new DirectoryModel(places, jitters);
        await importTables(model.package([]));
        for (const step of [...first, ...then]) {
          await apply(model, step);
          const responses = new Responses();
          await probeSearch(model, responses, false);
          expectNoTrace(model, responses);
        }
        const responses = new Responses();
        await probeEverything(model, responses);
        expectNoTrace(model, responses);
      }),
      { numRuns: 20, interruptAfterTimeLimit: 100_000, markInterruptAsFailure: false },
    );
  }, 150_000);
});

/** Every scalar in a JSON body, or every field of a CSV document. */
function leaves(body: unknown): unknown[] {
  if (typeof body === 'string') return body.split(/\r?\n/).flatMap((line) => line.split(','));
  if (body === null || typeof body !== 'object') return [body];
  return Object.entries(body).flatMap(([key, value]) => [key, ...leaves(value)]);
}
