import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Principal, viewerOf } from '@nwd/auth';
import { DirectoryServiceRequests } from '@nwd/contracts';
import { MessagingClient, Outbox } from '@nwd/messaging';
import { TestNetwork, TestOrganization } from '@nwd/testing';
import { DirectoryExporter } from '../src/import-export/directory-exporter';
import { DirectoryImporter } from '../src/import-export/directory-importer';
import { readHsdsSource } from '../src/import-export/hsds-source';
import { openTabularPackage, parseTabular, readTabularPackage, TabularPackage } from '../src/import-export/tabular-package';
import { HSDS_SCHEMAS } from '../src/import-export/hsds-validator';
import { ListingIndex } from '../src/hsds/listing-index';
import { ListingsRepository } from '../src/listings/listings.repository';
import { StaleListingSweep } from '../src/listings/stale-listing.sweep';

const FIXTURES = resolve(__dirname, '../../..', '../shared/fixtures/hsds');
const SMC = join(FIXTURES, 'smc-ohana-2014/hsds3-tabular');
const LEGAL_AID = '15fb1e49-ff3d-54d2-b793-20a5653abbbf';

describe('resource directory (San Mateo County data)', () => {
  let network: TestNetwork;
  let dataSource: DataSource;
  let importer: DirectoryImporter;
  let owner: TestOrganization;
  let other: TestOrganization;
  const server = () => network.server('directory');

  beforeAll(async () => {
    network = await TestNetwork.start([], { env: { directory: { NWD_STALE_SWEEP_INTERVAL_SECONDS: 0, NWD_DIRECTORY_TIME_ZONE: 'America/Los_Angeles' } } });
    dataSource = network.service('directory').app.get(DataSource);
    importer = new DirectoryImporter(dataSource, new ListingIndex('America/Los_Angeles'), network.service('directory').app.get(Outbox));
    owner = await network.organization({ kind: 'cbo' });
    other = await network.organization({ kind: 'cbo' });
    // Read table by table as the import writes, the way the CLI and the import endpoint hand packages over.
    const report = await importer.run(await openTabularPackage(SMC));
    expect(report.problems).toEqual([]);
  }, 120_000);
  afterAll(() => network?.close());

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        ['organization', 'service', 'location', 'service_at_location', 'address', 'phone', 'schedule', 'attribute', 'taxonomy_term'].map(async (t) => [
          t,
          (await dataSource.query(`SELECT count(*)::int AS n FROM hsds_${t}`))[0].n,
        ]),
      ),
    );

  describe('import', () => {
    it('imports the San Mateo package with the right counts, and a re-import changes nothing', async () => {
      expect(await counts()).toEqual({
        organization: 1363, service: 1689, location: 1709, service_at_location: 1689, address: 3119, phone: 3577, schedule: 971, attribute: 15651, taxonomy_term: 2072,
      });
      const again = await importer.run(await readTabularPackage(SMC));
      expect(again.applied).toBe(true);
      expect(again.counts.service).toEqual({ inserted: 0, updated: 0, unchanged: 1689 });
      expect(again.absent).toEqual({});
    });

    it('refuses a package with one broken row, naming file, row and field, and changes nothing', async () => {
      const lines = (await readFile(join(SMC, 'services.csv'), 'utf8')).split('\n').slice(0, 4);
      // A partial package (its organizations are already in the directory): line 2 is a good change, line 3
      // (the Legal Aid service) is renamed and given an unknown status.
      lines[1] = lines[1].replace('San Mateo County/Silicon Valley Convention and Visitors Bureau', 'Renamed too');
      lines[2] = lines[2].replace('Legal Aid Society of San Mateo County', 'Renamed').replace(',active,', ',open,');
      const before = await counts();
      const res = await request(server())
        .post('/v1/directory/imports')
        .auth(network.adminToken, { type: 'bearer' })
        .send({ tables: { 'services.csv': lines.join('\n') } })
        .expect(422);
      expect(res.body.problems).toEqual([{ file: 'services.csv', row: 3, field: 'status', message: expect.stringContaining('must be one of') }]);
      expect(await counts()).toEqual(before);
      const [legalAid] = await dataSource.query(`SELECT name FROM hsds_service WHERE id = $1`, [LEGAL_AID]);
      expect(legalAid.name).toBe('Legal Aid Society of San Mateo County');
      const [bureau] = await dataSource.query(`SELECT name FROM hsds_service WHERE id = '75311a1d-d41c-5543-b659-ed7b1b3bdef8'`);
      expect(bureau.name).toBe('San Mateo County/Silicon Valley Convention and Visitors Bureau');
    });

    it('refuses a package whose broken row is in a table read after others were written, and keeps none of them', async () => {
      // Services are read and copied before attributes; the attribute's problem is found while they are written.
      const services = (await readFile(join(SMC, 'services.csv'), 'utf8')).split('\n').slice(0, 3);
      services[2] = services[2].replace('Legal Aid Society of San Mateo County', 'Renamed before the broken row');
      const attributes = (await readFile(join(SMC, 'attributes.csv'), 'utf8')).split('\n').slice(0, 4);
      const fields = attributes[3].split(',');
      fields[2] = 'not-a-term';
      attributes[3] = fields.join(',');
      const before = await counts();
      const pkg = new TabularPackage(new Map([['services.csv', services.join('\n')], ['attributes.csv', attributes.join('\n')]]));
      expect(pkg.size).toBe(0); // nothing read until the import asks for each table
      const report = await importer.run(pkg);
      expect(report.applied).toBe(false);
      expect(report.problems).toEqual([{ file: 'attributes.csv', row: 4, field: 'taxonomy_term_id', message: expect.any(String) }]);
      expect(await counts()).toEqual(before);
      const [legalAid] = await dataSource.query(`SELECT name FROM hsds_service WHERE id = $1`, [LEGAL_AID]);
      expect(legalAid.name).toBe('Legal Aid Society of San Mateo County');
    });

    it('refuses the official example CSVs for their dangling foreign keys', async () => {
      const pkg = await readHsdsSource(join(FIXTURES, 'hsds-3.0-spec-examples/csv'));
      const report = await importer.run(pkg);
      expect(report.applied).toBe(false);
      expect(report.problems.map((p) => `${p.file}:${p.field}`)).toEqual(expect.arrayContaining(['locations.csv:organization_id', 'taxonomy_terms.csv:taxonomy_id']));
    });

    it('accepts the spec’s own JSON example (a fully nested service) and reports what a re-import lacks', async () => {
      const report = await importer.run(await readHsdsSource(join(FIXTURES, 'hsds-3.0-spec-examples/json/service_full.json')));
      expect(report.problems).toEqual([]);
      expect(report.counts.service).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
      expect(report.absent.service.count).toBe(1689);
    });

    it('round-trips: import → export → import changes nothing and export equals the source, file by file', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'hsds-export-'));
      await new DirectoryExporter(dataSource).writePackage(folder);
      const again = await importer.run(await readTabularPackage(folder));
      expect(again.problems).toEqual([]);
      for (const [table, c] of Object.entries(again.counts)) expect([table, c.inserted + c.updated]).toEqual([table, 0]);
      const source = await readTabularPackage(SMC);
      const exported = await readTabularPackage(folder);
      for (const [table, rows] of source.tables) {
        for (const [id, row] of rows) expect(exported.tables.get(table)?.get(id)?.record).toEqual(row.record);
      }
    });
    it('keeps text exactly as sent, tabs, backslashes, line breaks and a literal \\N included', async () => {
      const term = '0f0e0d0c-0b0a-4009-8807-060504030203';
      const name = 'tab\there \\N back\\slash';
      const description = 'line one\r\nline two\n\\';
      const csv = `id,name,description\n${term},${name},"${description}"`;
      const report = await importer.run(parseTabular(new Map([['taxonomy_terms.csv', csv]])));
      expect(report.problems).toEqual([]);
      const [row] = await dataSource.query(`SELECT name, description FROM hsds_taxonomy_term WHERE id = $1`, [term]);
      expect(row).toEqual({ name, description });
    });

    it('refuses the import when a row it refers to is deleted by another writer as it starts, and changes nothing', async () => {
      const term = '0f0e0d0c-0b0a-4009-8807-060504030201';
      const attribute = '0f0e0d0c-0b0a-4009-8807-060504030202';
      const added = await importer.run(parseTabular(new Map([['taxonomy_terms.csv', `id,name,description\n${term},Doomed term,Deleted during an import`]])));
      expect(added.applied).toBe(true);
      const deleting = dataSource.createQueryRunner();
      await deleting.connect();
      try {
        await deleting.startTransaction();
        await deleting.query(`DELETE FROM hsds_taxonomy_term WHERE id = $1`, [term]);
        // The import's check before its transaction still sees the term; its transaction waits for the deletion.
        const importing = importer.run(parseTabular(new Map([['attributes.csv', `id,link_id,taxonomy_term_id,link_entity\n${attribute},${LEGAL_AID},${term},service`]])));
        for (let waited = 0; ; waited += 20) {
          const [waiting] = await dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR KEY SHARE%'`);
          if (waiting) break;
          if (waited > 10_000) throw new Error('the import never waited for the deletion');
          await new Promise((r) => setTimeout(r, 20));
        }
        await deleting.commitTransaction();
        const report = await importing;
        expect(report.applied).toBe(false);
        expect(report.problems).toEqual([
          { file: 'attributes.csv', row: 2, field: 'taxonomy_term_id', message: expect.stringContaining('neither in the import nor in the directory') },
        ]);
        expect(await dataSource.query(`SELECT 1 FROM hsds_attribute WHERE id = $1`, [attribute])).toEqual([]);
      } finally {
        await deleting.release();
      }
    });

    it('a new row another writer adds while the import copies it makes the import upsert it instead, nothing lost', async () => {
      const term = '0f0e0d0c-0b0a-4009-8807-060504030204';
      const writer = dataSource.createQueryRunner();
      await writer.connect();
      try {
        await writer.startTransaction();
        await writer.query(`INSERT INTO hsds_taxonomy_term (id, name, description) VALUES ($1, 'Written beside', 'by another writer')`, [term]);
        // The import does not see the uncommitted row, so it copies the term as new and waits on its key.
        const importing = importer.run(parseTabular(new Map([['taxonomy_terms.csv', `id,name,description\n${term},Imported,from the package`]])));
        for (let waited = 0; ; waited += 20) {
          const [waiting] = await dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY hsds_taxonomy_term%'`);
          if (waiting) break;
          if (waited > 10_000) throw new Error('the import never waited for the other writer');
          await new Promise((r) => setTimeout(r, 20));
        }
        await writer.commitTransaction();
        const report = await importing;
        expect(report.applied).toBe(true);
        expect(report.counts.taxonomy_term).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect(await dataSource.query(`SELECT name, description FROM hsds_taxonomy_term WHERE id = $1`, [term])).toEqual([
          { name: 'Imported', description: 'from the package' },
        ]);
      } finally {
        await writer.release();
      }
    });

    it('still refuses a dangling reference written by anyone else', async () => {
      await expect(
        dataSource.transaction((manager) =>
          manager.query(`INSERT INTO hsds_attribute (id, link_id, taxonomy_term_id, link_entity) VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'service')`, [LEGAL_AID]),
        ),
      ).rejects.toThrow(/foreign key/);
    });
  });

  describe('HSDS API', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [file, schema] of Object.entries(HSDS_SCHEMAS)) ajv.addSchema(schema, file);
    const openapi = require(join(FIXTURES, 'hsds-3.0-spec-examples/schema-3.0/openapi.json'));
    const isPage = ajv.compile(openapi.components.schemas.Page);

    it('serves the root and valid, schema-conformant services without a token', async () => {
      const root = await request(server()).get('/hsds').expect(200);
      expect(root.body.version).toBe('3.0');
      // The spec names the root `/`, so clients call `/hsds/`.
      const slashed = await request(server()).get('/hsds/').expect(200);
      expect(slashed.body).toEqual(root.body);
      expect(slashed.body).toMatchObject({ version: '3.0', openapi_url: expect.stringContaining('openapi.json') });
      const page = await request(server()).get('/hsds/services?per_page=100&page=2').expect(200);
      expect(isPage(page.body)).toBe(true);
      expect(page.body).toMatchObject({ page_number: 2, size: 100, first_page: false, last_page: false });
      const validate = ajv.getSchema('service.json')!;
      for (const { id } of page.body.contents.slice(0, 40)) {
        const res = await request(server()).get(`/hsds/services/${id}`).expect(200);
        expect([id, validate(res.body) ? [] : validate.errors]).toEqual([id, []]);
      }
    });

    it('filters by organization, taxonomy term and search', async () => {
      const [{ organization_id }] = await dataSource.query(`SELECT organization_id FROM hsds_service WHERE id = $1`, [LEGAL_AID]);
      const byOrg = await request(server()).get(`/hsds/services?organization_id=${organization_id}`).expect(200);
      expect(byOrg.body.contents.map((s: { id: string }) => s.id)).toContain(LEGAL_AID);
      expect(byOrg.body.contents.every((s: { organization: { id: string } }) => s.organization.id === organization_id)).toBe(true);
      const [{ taxonomy_term_id, n }] = await dataSource.query(
        `SELECT taxonomy_term_id, count(*)::int n FROM hsds_attribute WHERE link_entity = 'service' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
      );
      const byTerm = await request(server()).get(`/hsds/services?taxonomy_term_id=${taxonomy_term_id}&per_page=1`).expect(200);
      expect(byTerm.body.total_items).toBe(n);
      const search = await request(server()).get('/hsds/services?search=legal%20aid').expect(200);
      expect(search.body.total_items).toBeGreaterThan(0);
      expect(search.body.total_items).toBeLessThan(1689);
      await request(server()).get('/hsds/services?per_page=0').expect(400);
      await request(server()).get('/hsds/service_at_locations?postcode=94401&proximity=2000').expect(200);
    });
  });

  describe('search and maintenance', () => {
    const search = (query: string, token = owner.token) => request(server()).get(`/v1/directory/search?${query}`).auth(token, { type: 'bearer' });

    it('requires a token', async () => {
      await request(server()).get('/v1/directory/search').expect(401);
    });

    it('runs on connections set up for short searches: no JIT, no parallel workers', async () => {
      const [settings] = await dataSource.query(`SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers`);
      expect(settings).toEqual({ jit: 'off', workers: '0' });
    });

    it('each filter narrows the result, filters combine as AND, and distance orders it', async () => {
      const all = (await search('limit=1').expect(200)).body.total;
      const food = (await search('need=food-insecurity&limit=1').expect(200)).body;
      const near = (await search('postcode=94401&radiusKm=3&limit=100').expect(200)).body;
      const both = (await search('need=food-insecurity&postcode=94401&radiusKm=3&limit=100').expect(200)).body;
      expect(food.total).toBeGreaterThan(0);
      expect(food.total).toBeLessThan(all);
      expect(near.total).toBeLessThan(all);
      expect(both.total).toBeLessThan(Math.min(food.total, near.total) + 1);
      expect(both.results.every((r: { matched: { needs: string[] } }) => r.matched.needs.includes('food-insecurity'))).toBe(true);
      const distances = near.results.map((r: { distanceKm: number }) => r.distanceKm);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(Math.max(...distances)).toBeLessThanOrEqual(3);
      const spanish = (await search('language=spanish&limit=1').expect(200)).body.total;
      expect(spanish).toBeGreaterThan(0);
      expect(spanish).toBeLessThan(all);
      const typo = (await search('q=legl%20aid%20socity&limit=10').expect(200)).body;
      expect(typo.results.map((r: { serviceId: string }) => r.serviceId)).toContain(LEGAL_AID);
      expect(food.facets.needs['food-insecurity']).toBe(food.total);
    });

    it('text near a point finds the text matches inside the radius, scored as without the point', async () => {
      type Hit = { serviceAtLocationId: string | null; serviceId: string; matched: { text?: { score: number } } };
      const every = async (query: string): Promise<{ total: number; results: Hit[] }> => {
        const first = (await search(`${query}&limit=100`).expect(200)).body;
        const results: Hit[] = [...first.results];
        while (results.length < first.total) results.push(...(await search(`${query}&limit=100&offset=${results.length}`).expect(200)).body.results);
        return { total: first.total, results };
      };
      const key = (hit: Hit) => hit.serviceAtLocationId ?? hit.serviceId;
      const text = await every('q=food');
      const near = await every('postcode=94401&radiusKm=8');
      const both = await every('q=food&postcode=94401&radiusKm=8');
      const nearKeys = new Set(near.results.map(key));
      const expected = text.results.filter((hit) => nearKeys.has(key(hit)));
      expect(both.total).toBeGreaterThan(0);
      expect(both.total).toBeLessThan(text.total);
      expect(both.results.map(key).sort()).toEqual(expected.map(key).sort());
      const scores = new Map(text.results.map((hit) => [key(hit), hit.matched.text?.score]));
      for (const hit of both.results) expect(hit.matched.text?.score).toBe(scores.get(key(hit)));
    });

    it('text asks for every word, forgives typos, matches word beginnings and finds nothing for unknown words', async () => {
      const ids = async (q: string): Promise<{ total: number; ids: string[] }> => {
        const body = (await search(`q=${encodeURIComponent(q)}&limit=100`).expect(200)).body;
        return { total: body.total, ids: body.results.map((r: { serviceAtLocationId: string | null; serviceId: string }) => r.serviceAtLocationId ?? r.serviceId) };
      };
      const food = await ids('food');
      const pantry = await ids('food pantry');
      expect(pantry.total).toBeGreaterThan(0);
      expect(pantry.total).toBeLessThan(food.total);
      const typed = await ids('foood pantyr');
      expect(typed.ids).toEqual(expect.arrayContaining(pantry.ids));
      // Every listing with a word beginning "counsel" (counseling, counselor, counsellors…), and only those.
      const [{ n: counselWords }] = await dataSource.query(`SELECT count(*)::int n FROM listing_search WHERE status = 'active' AND document ~ '\\mcounsel'`);
      expect((await ids('counsel')).total).toBe(counselWords);
      expect((await ids('qzxqzx')).total).toBe(0);
      // tsquery syntax in what is typed is text, not operators.
      expect((await ids("food's & (pantry | !shelter) \\ 'x")).total).toBeGreaterThan(0);
    });

    it('a re-import of only organizations, locations and taxonomy terms reaches the search rows of the services that point at them', async () => {
      const [legalAid] = await dataSource.query(
        `SELECT s.organization_id, sal.location_id, (SELECT a.taxonomy_term_id FROM hsds_attribute a WHERE a.link_id = s.id ORDER BY a.id LIMIT 1) AS term_id
           FROM hsds_service s JOIN hsds_service_at_location sal ON sal.service_id = s.id WHERE s.id = $1`,
        [LEGAL_AID],
      );
      const exporter = new DirectoryExporter(dataSource);
      const files: [string, string][] = [
        ['organizations.csv', 'organization'],
        ['locations.csv', 'location'],
        ['taxonomy_terms.csv', 'taxonomy_term'],
      ];
      const original = new Map(await Promise.all(files.map(async ([file, table]) => [file, (await exporter.tableCsv(table)).csv] as const)));
      const edited = parseTabular(original);
      edited.tables.get('organization')!.get(legalAid.organization_id)!.record.name = 'Quillfeather Society';
      edited.tables.get('taxonomy_term')!.get(legalAid.term_id)!.record.name = 'Zorblat Help';
      // Fairbanks, Alaska: far from any listing of the directory.
      Object.assign(edited.tables.get('location')!.get(legalAid.location_id)!.record, { latitude: 64.8378, longitude: -147.7164 });
      const fairbanks = 'lat=64.8378&lon=-147.7164&radiusKm=5';
      const found = async (query: string) =>
        (await search(`${query}&limit=100`).expect(200)).body.results.map((r: { serviceId: string }) => r.serviceId) as string[];
      expect(await found(fairbanks)).toEqual([]);
      try {
        const report = await importer.run(edited);
        expect(report.problems).toEqual([]);
        expect([report.counts.organization.updated, report.counts.location.updated, report.counts.taxonomy_term.updated]).toEqual([1, 1, 1]);
        expect(await found('q=quillfeather')).toContain(LEGAL_AID);
        expect(await found('q=zorblat')).toContain(LEGAL_AID);
        const atLocation: { id: string }[] = await dataSource.query(
          `SELECT s.id FROM hsds_service_at_location sal JOIN hsds_service s ON s.id = sal.service_id WHERE sal.location_id = $1 AND s.status = 'active'`,
          [legalAid.location_id],
        );
        expect(atLocation.map((row) => row.id)).toContain(LEGAL_AID);
        expect((await found(fairbanks)).sort()).toEqual(atLocation.map((row) => row.id).sort());
      } finally {
        await importer.run(parseTabular(original));
      }
      expect(await found('q=quillfeather')).toEqual([]);
      expect(await found(fairbanks)).toEqual([]);
    });

    it('owner edits its listing, another organization gets 403, a network admin may; capacity answers the referral service', async () => {
      await dataSource.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = $2`, [owner.id, LEGAL_AID]);
      await request(server()).put(`/v1/directory/services/${LEGAL_AID}/capacity`).auth(other.token, { type: 'bearer' }).send({ status: 'not-accepting' }).expect(403);
      await request(server()).put(`/v1/directory/services/${LEGAL_AID}/capacity`).auth(owner.token, { type: 'bearer' }).send({ status: 'waitlist' }).expect(400);
      await request(server()).put(`/v1/directory/services/${LEGAL_AID}/capacity`).auth(owner.token, { type: 'bearer' }).send({ status: 'waitlist', expectedWaitDays: 14 }).expect(200);
      await request(server()).patch(`/v1/directory/services/${LEGAL_AID}`).auth(network.adminToken, { type: 'bearer' }).send({ acceptsElectronicReferrals: true }).expect(200);
      const summary = await network.service('directory').app.get(MessagingClient).request(DirectoryServiceRequests.getService, { serviceId: LEGAL_AID });
      expect(summary).toMatchObject({ id: LEGAL_AID, organizationId: owner.id, capacityStatus: 'waitlist', expectedWaitDays: 14, acceptsElectronicReferrals: true });
      const accepting = (await search('acceptingOnly=true&electronicReferrals=true&limit=100').expect(200)).body;
      expect(accepting.results.map((r: { serviceId: string }) => r.serviceId)).not.toContain(LEGAL_AID);
      const electronic = (await search('electronicReferrals=true&limit=100').expect(200)).body;
      expect(electronic.results.map((r: { serviceId: string }) => r.serviceId)).toEqual([LEGAL_AID]);
      const events: { subject: string; payload: string }[] = await dataSource.query(`SELECT subject, envelope::text AS payload FROM outbox WHERE subject LIKE '%directory.v1.%' ORDER BY seq`);
      expect(events.map((e) => e.subject)).toEqual([
        'directory.v1.capacity-changed',
        'directory.v1.service-updated',
        'directory.v1.service-updated',
      ]);
      expect(JSON.parse(events[0].payload).data).toMatchObject({ serviceId: LEGAL_AID, organizationId: owner.id, previousStatus: 'accepting', status: 'waitlist', expectedWaitDays: 14 });
    });

    it('open-at reads schedules in the listing’s own time zone', async () => {
      await request(server())
        .put(`/v1/directory/services/${LEGAL_AID}/schedules`)
        .auth(owner.token, { type: 'bearer' })
        .send({ schedules: [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }] })
        .expect(200);
      const ids = async (at: string) =>
        (await search(`openAt=${at}&q=legal%20aid&limit=100`).expect(200)).body.results.map((r: { serviceId: string }) => r.serviceId);
      expect(await ids('2024-03-06T00:30:00Z')).toContain(LEGAL_AID); // Tuesday 16:30 in Los Angeles
      expect(await ids('2024-03-06T02:30:00Z')).not.toContain(LEGAL_AID); // 18:30
      await request(server()).patch(`/v1/directory/services/${LEGAL_AID}`).auth(owner.token, { type: 'bearer' }).send({ timeZone: 'America/New_York' }).expect(200);
      expect(await ids('2024-03-06T00:30:00Z')).not.toContain(LEGAL_AID); // 19:30 in New York
    });

    it('reads the free-text hours San Mateo listings come with: weekday mornings many, Sunday at 3 am only the round-the-clock', async () => {
      const tuesdayMorning = (await search('openAt=2024-03-19T17:00:00Z&limit=100').expect(200)).body; // 10:00 in San Mateo
      const sundayNight = (await search('openAt=2024-03-17T10:00:00Z&limit=100').expect(200)).body; // 03:00
      expect(sundayNight.total).toBeGreaterThan(0);
      expect(tuesdayMorning.total).toBeGreaterThan(5 * sundayNight.total);
      const hours: { description: string }[] = await dataSource.query(
        `SELECT DISTINCT sc.description FROM hsds_schedule sc
           JOIN hsds_service_at_location sal ON sc.service_at_location_id = sal.id OR sc.location_id = sal.location_id OR sc.service_id = sal.service_id
          WHERE sal.id = ANY ($1::uuid[]) OR sc.service_id = ANY ($2::uuid[])`,
        [sundayNight.results.map((r: { serviceAtLocationId: string | null }) => r.serviceAtLocationId).filter(Boolean), sundayNight.results.map((r: { serviceId: string }) => r.serviceId)],
      );
      for (const { description } of hours) expect(description).toMatch(/24|midnight|8 am/i);
    });

    it('a confidential listing shows no address or coordinates anywhere, and is still found by need', async () => {
      // A shelter whose address and coordinates no other listing shares, so their absence is meaningful.
      const [shelter] = await dataSource.query(
        `SELECT sal.service_id, sal.location_id, l.latitude::text AS latitude, l.longitude::text AS longitude, a.address_1, s.organization_id
           FROM hsds_service_at_location sal JOIN hsds_location l ON l.id = sal.location_id JOIN hsds_service s ON s.id = sal.service_id
           JOIN hsds_address a ON a.location_id = l.id AND a.address_type = 'physical'
          WHERE s.name ILIKE '%abuse%' AND l.latitude IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM hsds_address b WHERE b.address_1 = a.address_1 AND b.location_id <> l.id)
            AND NOT EXISTS (SELECT 1 FROM hsds_location m WHERE m.id <> l.id AND (m.latitude = l.latitude OR m.longitude = l.longitude))
          ORDER BY sal.service_id LIMIT 1`,
      );
      expect(shelter).toBeDefined();
      const id = shelter.service_id as string;
      await dataSource.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = $2`, [owner.id, id]);
      await dataSource.query(
        `INSERT INTO taxonomy_term_need_domain SELECT taxonomy_term_id, 'intimate-partner-violence', 'manual' FROM hsds_attribute WHERE link_id = $1 LIMIT 1`,
        [id],
      );
      const visibleBefore = await request(server()).get(`/hsds/service_at_locations?organization_id=${shelter.organization_id}&full=true`).expect(200);
      expect(JSON.stringify(visibleBefore.body)).toContain(shelter.address_1);
      await request(server()).patch(`/v1/directory/services/${id}`).auth(owner.token, { type: 'bearer' }).send({ confidential: true }).expect(200);
      const bodies: string[] = [];
      const collect = async (req: request.Test) => {
        const res = await req;
        expect(res.status).toBe(200);
        bodies.push(JSON.stringify(res.body ?? '') + (res.text ?? ''));
      };
      await request(server()).get(`/hsds/services/${id}`).expect(404);
      await collect(request(server()).get(`/hsds/organizations/${shelter.organization_id}?full_service=true`));
      await collect(request(server()).get(`/hsds/organizations?full=true&per_page=500&search=${encodeURIComponent('a')}`));
      await collect(request(server()).get(`/hsds/service_at_locations?organization_id=${shelter.organization_id}&full=true`));
      await collect(request(server()).get(`/hsds/services?organization_id=${shelter.organization_id}&full=true`));
      await collect(search('need=intimate-partner-violence&limit=100'));
      await collect(search(`lat=${shelter.latitude}&lon=${shelter.longitude}&radiusKm=1&limit=100`));
      for (const file of ['locations.csv', 'addresses.csv', 'service_at_location.csv', 'phones.csv', 'schedules.csv', 'accessibility.csv', 'attributes.csv']) {
        await collect(request(server()).get(`/v1/directory/export/${file}`).auth(network.adminToken, { type: 'bearer' }));
      }
      for (const body of bodies) {
        expect(body).not.toContain(shelter.location_id);
        expect(body).not.toContain(shelter.address_1);
        expect(body).not.toContain(shelter.latitude);
        expect(body).not.toContain(shelter.longitude);
      }
      const byNeed = (await search('need=intimate-partner-violence&limit=100').expect(200)).body;
      const listing = byNeed.results.find((r: { serviceId: string }) => r.serviceId === id);
      expect(listing).toMatchObject({ confidential: true, locationId: null, serviceAtLocationId: null });
      expect(listing.distanceKm).toBeUndefined();
      const nearby = (await search(`lat=${shelter.latitude}&lon=${shelter.longitude}&radiusKm=1&limit=100`).expect(200)).body;
      expect(nearby.results.map((r: { serviceId: string }) => r.serviceId)).not.toContain(id);
    });

    it('writes a listing only for an editor who maintains it, even where a caller forgot to check', async () => {
      await dataSource.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = $2`, [owner.id, LEGAL_AID]);
      const listings = network.service('directory').app.get(ListingsRepository);
      const editor = (org: TestOrganization) => viewerOf({ subject: org.clientId, organizationId: org.id, roles: ['staff'], issuedAt: 0 } as Principal);
      const [{ location_id: locationId }] = await dataSource.query(`SELECT location_id FROM hsds_service_at_location WHERE service_id = $1`, [LEGAL_AID]);
      const state = async () => ({
        service: (await dataSource.query(`SELECT name FROM hsds_service WHERE id = $1`, [LEGAL_AID]))[0].name,
        schedules: (await dataSource.query(`SELECT count(*)::int AS n FROM hsds_schedule WHERE service_id = $1`, [LEGAL_AID]))[0].n,
        location: (await dataSource.query(`SELECT name FROM hsds_location WHERE id = $1`, [locationId]))[0].name,
      });
      const before = await state();
      await expect(dataSource.transaction((m) => listings.update(m, editor(other), LEGAL_AID, { name: 'Taken over' }))).rejects.toThrow(/not maintained by/);
      await expect(dataSource.transaction((m) => listings.replaceSchedules(m, editor(other), LEGAL_AID, []))).rejects.toThrow(/not maintained by/);
      await expect(dataSource.transaction((m) => listings.updateLocation(m, editor(other), locationId, { name: 'Taken over' }))).rejects.toThrow(/not maintained by/);
      await expect(dataSource.transaction((m) => listings.get(m, editor(other), LEGAL_AID))).rejects.toThrow();
      expect(await state()).toEqual(before);
      await dataSource.transaction((m) => listings.update(m, editor(owner), LEGAL_AID, { name: before.service }));
      expect((await dataSource.transaction((m) => listings.get(m, editor(owner), LEGAL_AID))).name).toBe(before.service);
    });

    it('marks a search result stale by the directory’s clock', async () => {
      await request(server()).patch(`/v1/directory/services/${LEGAL_AID}`).auth(network.adminToken, { type: 'bearer' }).send({ acceptsElectronicReferrals: true }).expect(200);
      await request(server()).post(`/v1/directory/services/${LEGAL_AID}/verify`).auth(owner.token, { type: 'bearer' }).expect(200);
      const legalAid = async () =>
        (await search('electronicReferrals=true&limit=100').expect(200)).body.results.find((r: { serviceId: string }) => r.serviceId === LEGAL_AID);
      expect(await legalAid()).toMatchObject({ stale: false });
      const clock = network.service('directory').clock.advance(92 * 24 * 3600 * 1000);
      try {
        expect(await legalAid()).toMatchObject({ stale: true });
      } finally {
        clock.reset();
      }
    });

    it('flags listings stale after the period on a controlled clock, once; verifying clears it', async () => {
      const sweep = network.service('directory').app.get(StaleListingSweep);
      expect(await sweep.run(new Date())).toBe(0);
      await request(server()).post(`/v1/directory/services/${LEGAL_AID}/verify`).auth(owner.token, { type: 'bearer' }).expect(200);
      const later = new Date(Date.now() + 92 * 24 * 3600 * 1000);
      const flagged = await sweep.run(later);
      expect(flagged).toBe(1690);
      expect(await sweep.run(later)).toBe(0);
      const [row] = await dataSource.query(`SELECT stale_since IS NOT NULL AS stale FROM hsds_service WHERE id = $1`, [LEGAL_AID]);
      expect(row.stale).toBe(true);
      await request(server()).post(`/v1/directory/services/${LEGAL_AID}/verify`).auth(owner.token, { type: 'bearer' }).expect(200);
      const [after] = await dataSource.query(`SELECT stale_since IS NULL AS fresh, last_verified_by FROM hsds_service WHERE id = $1`, [LEGAL_AID]);
      expect(after).toEqual({ fresh: true, last_verified_by: owner.clientId });
    });
  });
});
