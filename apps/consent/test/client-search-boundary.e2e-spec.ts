import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@nwd/auth';
import { Outbox } from '@nwd/messaging';
import { dataSourceOptions } from '@nwd/persistence';
import { createTestDatabase, TestDatabase } from '@nwd/testing';
import { Client } from '../src/clients/client.entity';
import { ClientVisibility, VisibleClient } from '../src/clients/client-visibility';
import { ClientsRepository } from '../src/clients/clients.repository';
import { ClientsService } from '../src/clients/clients.service';
import { Clock } from '@nwd/clock';
import { ConsentConfig } from '../src/consent.config';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';
import { DisclosureLedger } from '../src/disclosures/disclosure-ledger';

/**
 * Client search across organizations with a visibility that lets everyone see everything except a
 * domestic-violence program's registrations: the program's records never appear, never change the
 * ranking or the page, and are never recorded as disclosed; what others see is recorded exactly.
 */
describe('client search across organizations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let service: ClientsService;
  const dvProgram = randomUUID();
  const ledger = new DisclosureLedger(new Clock());

  class EveryoneButConcealed extends ClientVisibility {
    async concealedOrganizationIds(): Promise<readonly string[]> {
      return [dvProgram];
    }
    async mayView(_manager: EntityManager, _viewer: Principal, clients: readonly Client[]): Promise<ReadonlySet<string>> {
      if (clients.some((c) => c.createdByOrganizationId === dvProgram)) throw new Error('a concealed registration reached the decision');
      return new Set(clients.map((c) => c.id));
    }
    async disclose(manager: EntityManager, viewer: Principal, clients: readonly Client[], channel: 'client-read' | 'client-search') {
      await ledger.record(
        manager,
        clients.map((c) => ({ clientId: c.id, recipientOrganizationId: viewer.organizationId, sourceOrganizationIds: [c.createdByOrganizationId], purpose: 'care-coordination', categories: ['contact'], channel, consentIds: [] })),
      );
      return new Map<string, VisibleClient>(clients.map((c) => [c.id, { client: { id: c.id, givenName: c.givenName, familyName: c.familyName }, withheld: [] }]));
    }
  }

  const viewer = (organizationId: string): Principal => ({ subject: `staff-${organizationId}`, organizationId, roles: ['staff'], issuedAt: 0 });
  const disclosures = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM disclosure`))[0].n);

  beforeAll(async () => {
    database = await createTestDatabase('consent');
    dataSource = await new DataSource(dataSourceOptions(database.url, { entities, migrations }, 5)).initialize();
    service = new ClientsService(dataSource, new ClientsRepository(dataSource), new EveryoneButConcealed(), new Outbox(new ConsentConfig()), new Clock());
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('never returns, ranks or counts a domestic-violence program’s registrations for anyone else', async () => {
    const [shelterless, searcher] = [randomUUID(), randomUUID()];
    const known = await service.register(viewer(shelterless), { givenName: 'Leila', familyName: 'Haddad-Nasser', birthDate: '1988-08-08' });
    // The program knows the person under the exact name searched for: a better match than the other registration.
    const atProgram = await service.register(viewer(dvProgram), { givenName: 'Leila', familyName: 'Haddad', birthDate: '1988-08-08' });
    await service.register(viewer(dvProgram), { givenName: 'Noor', familyName: 'Haddad', birthDate: '1990-02-02' });
    const before = await disclosures();

    const page = await service.search(viewer(searcher), { name: 'Leila Haddad', birthDate: '1988-08-08', limit: 1 });
    expect(page.data.map((h) => (h.client as { id: string }).id)).toEqual([known.id]);
    expect(await disclosures()).toBe(before + 1);
    const onlyAtProgram = await service.search(viewer(searcher), { name: 'Noor Haddad', birthDate: '1990-02-02' });
    expect(onlyAtProgram.data).toEqual([]);
    expect(await disclosures()).toBe(before + 1);

    // The program itself finds its own.
    const own = await service.search(viewer(dvProgram), { name: 'Leila Haddad', birthDate: '1988-08-08' });
    expect(own.data[0]!.client).toMatchObject({ id: atProgram.id });
  });

  it('records a disclosure for exactly the other organizations’ registrations shown on the page', async () => {
    const searcher = randomUUID();
    for (let i = 0; i < 3; i++) await service.register(viewer(randomUUID()), { givenName: 'Tomas', familyName: 'Berg', birthDate: '1955-05-05' });
    await service.register(viewer(searcher), { givenName: 'Tomas', familyName: 'Berg', birthDate: '1955-05-05' });
    const before = await dataSource.query(`SELECT coalesce(max(seq), 0) AS seq FROM disclosure`);
    const page = await service.search(viewer(searcher), { name: 'Tomas Berg', birthDate: '1955-05-05', limit: 3 });
    expect(page.data).toHaveLength(3);
    const recorded = await dataSource.query(`SELECT client_id, recipient_organization_id, channel FROM disclosure WHERE seq > $1`, [before[0].seq]);
    const shownOthers = page.data.map((h) => h.client as { id: string; registeredByOrganizationId?: string }).filter((c) => c.registeredByOrganizationId !== searcher);
    expect(recorded.map((r: { client_id: string }) => r.client_id).sort()).toEqual(shownOthers.map((c) => c.id).sort());
    expect(recorded.every((r: { recipient_organization_id: string; channel: string }) => r.recipient_organization_id === searcher && r.channel === 'client-search')).toBe(true);
  });

  it('property: whatever the program registers, everyone else’s answers stay those of a register without it', async () => {
    const names = ['Leila Haddad', 'Leyla Hadad', 'Haddad Leila', 'Lena Hart', 'Noor Haddad'];
    const birthDates = ['1988-08-08', '1988-08-09'];
    const registration = fc.record({ name: fc.constantFrom(...names), birthDate: fc.constantFrom(...birthDates) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ registration, org: fc.constantFrom<'a' | 'b' | 'searcher'>('a', 'b', 'searcher') }), { maxLength: 6 }),
        fc.array(registration, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...names),
        fc.option(fc.constantFrom(...birthDates), { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
        async (others, atProgram, name, birthDate, limit) => {
          const orgs = { a: randomUUID(), b: randomUUID(), searcher: randomUUID() };
          // A family-name suffix per run keeps runs apart in one register.
          const tag = randomUUID().slice(0, 8);
          const add = (org: string, r: { name: string; birthDate: string }) => {
            const [given, family] = r.name.split(' ');
            return service.register(viewer(org), { givenName: given!, familyName: `${family}-${tag}`, birthDate: r.birthDate });
          };
          const query = { name: `${name} ${tag}`, birthDate, limit };
          const answer = async () => (await service.search(viewer(orgs.searcher), query)).data.map((h) => (h.client as { id: string }).id);
          for (const o of others) await add(orgs[o.org], o.registration);
          const before = await answer();
          const recordedBefore = await disclosures();
          const programIds = new Set<string>();
          for (const r of atProgram) programIds.add((await add(dvProgram, r)).id);
          const after = await answer();
          expect(after.filter((id) => programIds.has(id))).toEqual([]);
          expect(after).toEqual(before);
          // The second search discloses what the first did, no more.
          expect(await disclosures()).toBe(recordedBefore + before.filter((id) => !programIds.has(id)).length - (await ownCount(orgs.searcher, before)));
        },
      ),
      { numRuns: 25 },
    );
  });

  async function ownCount(organizationId: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    return Number((await dataSource.query(`SELECT count(*) AS n FROM client WHERE created_by_organization_id = $1 AND id = ANY ($2::uuid[])`, [organizationId, ids]))[0].n);
  }
});
