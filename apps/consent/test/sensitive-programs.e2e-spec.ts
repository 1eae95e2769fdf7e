import request from 'supertest';
import { ConsentRequests, DecideRequest, OrganizationProtection, PART2_REDISCLOSURE_NOTICE } from '@nwd/contracts';
import { pollUntil, TestOrganization } from '@nwd/testing';
import { OrganizationRegistry } from '../src/organizations/organization-registry';
import { ConsentKit } from './consent-kit';

/**
 * Protections set on the directory's organizations reach the consent service's decisions through
 * the IDENTITY stream, and the register's reads and searches keep VAWA's and Part 2's rules.
 */
describe('sensitive programs and consent-backed register reads', () => {
  const kit = ConsentKit.forSuite();
  const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

  async function protect(org: TestOrganization, protections: string[]) {
    const res = await request(kit.network.server('directory')).patch(`/v1/organizations/${org.id}`).auth(kit.network.adminToken, { type: 'bearer' }).send({ protections });
    if (res.status !== 200) throw new Error(`protect: ${res.status} ${JSON.stringify(res.body)}`);
    // The consent service hears it from the IDENTITY stream, not from the directory's reply.
    const registry = kit.network.service('consent').app.get(OrganizationRegistry);
    await pollUntil(() => protections.every((p) => registry.protectedBy(p as OrganizationProtection).includes(org.id)), Boolean, { what: 'the protections feed' });
  }

  async function consent(from: TestOrganization, body: Record<string, unknown>) {
    const res = await kit.post(from, '/v1/consents', { purposes: ['referral'], categories: ['contact', 'demographics'], ...body });
    if (res.status !== 201) throw new Error(`consent: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  const decide = (ask: DecideRequest) => kit.messaging.request(ConsentRequests.decide, ask);

  it('applies a DV protection set in the directory to the next decisions: verbal consent no longer reaches the program', async () => {
    const [hospital, shelter] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization({ kind: 'cbo' })];
    const clientId = await kit.registerClient(hospital, shelter);
    await consent(hospital, { clientId, recipients: [{ organizationId: shelter.id }], method: 'verbal-attested', attestedBy: 'Nurse Joy' });
    const ask: DecideRequest = { clientId, recipientOrganizationId: shelter.id, purpose: 'referral', categories: ['contact'], sourceOrganizationIds: [hospital.id] };
    expect((await decide(ask)).permitted).toBe(true);

    await protect(shelter, ['domestic-violence']);
    expect((await decide(ask)).withheld).toEqual([{ category: 'contact', reason: 'domestic-violence-protection' }]);

    await consent(hospital, { clientId, recipients: [{ organizationId: shelter.id }], method: 'written', period: { start: new Date().toISOString(), end: days(30) } });
    expect((await decide(ask)).permitted).toBe(true);

    // A referral's inline verbal consent for a DV program: consent-required, the referral may still go de-identified.
    const inline = kit.registerReferral({
      senderOrganizationId: hospital.id,
      receivingOrganizationId: shelter.id,
      client: kit.person({ givenName: 'Lena' }),
      consent: { method: 'verbal-attested', attestedBy: 'Nurse Joy', categories: ['contact', 'demographics'] },
    });
    await expect(inline).rejects.toMatchObject({ code: 'consent-required', extensions: { missing: ['contact', 'demographics'] } });
  });

  it('shows another organization’s client only under consent, and a DV program’s clients in no one’s search', async () => {
    const [shelter, cbo] = [await kit.network.organization({ kind: 'cbo' }), await kit.network.organization({ kind: 'cbo' })];
    await protect(shelter, ['domestic-violence']);
    const person = kit.person({ givenName: 'Marisol', familyName: 'Quintanilla-Ruiz', birthDate: '1990-03-03' });
    const clientId = await kit.registerClient(shelter, cbo, person);
    expect((await kit.get(cbo, `/v1/clients/${clientId}`)).status).toBe(404);

    // Verbal, by the DV program, naming the reader: VAWA refuses it.
    await consent(shelter, { clientId, recipients: [{ organizationId: cbo.id }], method: 'verbal-attested', attestedBy: 'Advocate' });
    expect((await kit.get(cbo, `/v1/clients/${clientId}`)).status).toBe(404);
    // Asked without naming the DV program as a source, the register's record still is the program's.
    const ask: DecideRequest = { clientId, recipientOrganizationId: cbo.id, purpose: 'referral', categories: ['contact'], sourceOrganizationIds: [] };
    expect(await decide(ask)).toMatchObject({ permitted: false, withheld: [{ category: 'contact', reason: 'no-consent' }] });
    // Written, time-limited, naming the reader: the reader sees the person, and the read is accounted for.
    const written = await consent(shelter, { clientId, recipients: [{ organizationId: cbo.id }], method: 'written', period: { start: new Date().toISOString(), end: days(30) } });
    const read = await kit.get(cbo, `/v1/clients/${clientId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: clientId, givenName: 'Marisol', phone: person.phone });
    const [row] = await kit.sql(`SELECT channel, consent_ids, categories FROM disclosure WHERE client_id = $1 AND recipient_organization_id = $2`, [clientId, cbo.id]);
    expect(row).toEqual({ channel: 'client-read', consent_ids: [written], categories: ['contact', 'demographics'] });

    // Yet a search — even with a typo, even by the consented reader — never tells that the DV program knows the person.
    const search = await kit.get(cbo, `/v1/clients?name=${encodeURIComponent('Marisol Quintanila')}&birthDate=1990-03-03`);
    expect(search.status).toBe(200);
    expect(search.body.data).toEqual([]);
  });

  it('finds a consented client of another organization despite a typo, with only what consent allows', async () => {
    const [hospital, cbo] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization({ kind: 'cbo' })];
    const clientId = await kit.registerClient(hospital, cbo, kit.person({ givenName: 'Bartholomew', familyName: 'Okonkwo', birthDate: '1961-07-21' }));
    const search = () => kit.get(cbo, `/v1/clients?name=${encodeURIComponent('Bartholomeu Okonkwo')}&birthDate=1961-07-21`);
    expect((await search()).body.data).toEqual([]);
    await consent(hospital, { clientId, recipients: [{ organizationKind: 'cbo' }], categories: ['demographics'], method: 'verbal-attested', attestedBy: 'Sam' });
    const [hit] = (await search()).body.data;
    expect(hit.client).toMatchObject({ id: clientId, givenName: 'Bartholomew', withheld: [{ category: 'contact', reason: 'no-consent' }] });
    expect(hit.client.phone).toBeUndefined();
  });

  it('keeps Part 2 records out of a forward and sends the notice with what it discloses', async () => {
    const [clinic, hospital] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization({ kind: 'health-system' })];
    await protect(clinic, ['substance-use']);
    const clientId = await kit.registerClient(hospital, clinic);
    await consent(hospital, { clientId, recipients: [{ organizationId: hospital.id }, { anyMember: true }], categories: ['notes', 'substance-use'], method: 'written' });
    const ask: DecideRequest = { clientId, recipientOrganizationId: hospital.id, purpose: 'referral', categories: ['notes'], sourceOrganizationIds: [clinic.id] };
    expect(await decide(ask)).toMatchObject({ permitted: true, allowed: ['notes'], redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
    const other = await kit.network.organization();
    expect((await decide({ ...ask, recipientOrganizationId: other.id })).withheld).toEqual([{ category: 'notes', reason: 'substance-use-protection' }]);
    expect((await decide({ ...ask, channel: 'forward' })).withheld).toEqual([{ category: 'notes', reason: 'substance-use-protection' }]);
  });

  it('keeps a consent given under a duplicate after an org-admin merges it into the survivor', async () => {
    const hospital = await kit.network.organization({ kind: 'health-system', roles: ['org-admin'] });
    const cbo = await kit.network.organization();
    const [survivor, duplicate] = [await kit.registerClient(hospital, cbo), await kit.registerClient(hospital, cbo)];
    await consent(hospital, { clientId: duplicate, recipients: [{ organizationId: cbo.id }], method: 'written' });
    const merged = await kit.post(hospital, `/v1/clients/${survivor}/merge`, { duplicateId: duplicate });
    expect(merged.status).toBe(200);
    const ask: DecideRequest = { clientId: survivor, recipientOrganizationId: cbo.id, purpose: 'referral', categories: ['contact'], sourceOrganizationIds: [hospital.id] };
    expect((await decide(ask)).permitted).toBe(true);
    // Asked by the merged id, it decides as the survivor.
    expect(await decide({ ...ask, clientId: duplicate })).toMatchObject({ permitted: true, consentIds: [expect.any(String)] });
    const read = await kit.messaging.request(ConsentRequests.disclose, { ...ask, clientId: duplicate, channel: 'referral-read' });
    expect(read.client?.id).toBe(survivor);
  });
});
