import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConsentRequests } from '@nwd/contracts';
import { TestOrganization } from '@nwd/testing';
import { ConsentExpirySweep } from '../src/consents/consent-expiry.sweep';
import { ConsentKit } from './consent-kit';

const FIXTURE = resolve(__dirname, '../../../..', 'shared/fixtures/fhir-sdoh/Consent-SDOHCC-ConsentInformationDisclosureExample.json');
const FHIR_JSON = 'application/fhir+json';

/** The consents API on the consent service: record, read, list, revoke, expire, FHIR in and out. */
describe('consents API', () => {
  const kit = ConsentKit.forSuite();
  const counts = async () => (await kit.sql(`SELECT (SELECT count(*) FROM consent)::int AS consents, (SELECT count(*) FROM outbox)::int AS events`))[0];

  let referrer: TestOrganization;
  let receiver: TestOrganization;
  let clientId: string;
  beforeAll(async () => {
    referrer = await kit.network.organization({ kind: 'health-system' });
    receiver = await kit.network.organization({ kind: 'cbo' });
    clientId = await kit.registerClient(referrer, receiver);
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    clientId,
    recipients: [{ organizationId: receiver.id }, { organizationKind: 'government' }],
    purposes: ['referral', 'care-coordination'],
    categories: ['contact', 'demographics'],
    method: 'electronic-signature',
    period: { start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + 86_400_000).toISOString() },
    evidence: 'docs://signed/123',
    ...overrides,
  });

  it('records a consent, reads it back, lists it for the client, and announces it', async () => {
    const created = await kit.post(referrer, '/v1/consents', body());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId,
      grantorOrganizationId: referrer.id,
      recipients: [{ organizationId: receiver.id }, { organizationKind: 'government' }],
      purposes: ['referral', 'care-coordination'],
      categories: ['contact', 'demographics'],
      method: 'electronic-signature',
      evidence: 'docs://signed/123',
      status: 'active',
    });
    const id = created.body.id;
    expect((await kit.get(referrer, `/v1/consents/${id}`)).body).toEqual(created.body);
    expect((await kit.get(receiver, `/v1/consents/${id}`)).status).toBe(200);
    const listed = await kit.get(referrer, `/v1/clients/${clientId}/consents`);
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(id);
    const [granted] = await kit.events(id, 1);
    expect(granted).toMatchObject({ type: 'consent.v1.granted', data: { consentId: id, clientId, grantorOrganizationId: referrer.id, method: 'electronic-signature' } });
    expect(JSON.stringify(granted)).not.toContain('Rosa');
  });

  it('is not there for an organization with no part in it', async () => {
    const created = await kit.post(referrer, '/v1/consents', body());
    const stranger = await kit.network.organization();
    const read = await kit.get(stranger, `/v1/consents/${created.body.id}`);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('consent.not-found');
    expect((await kit.get(stranger, `/v1/clients/${clientId}/consents`)).status).toBe(404);
  });

  it.each([
    ['two forms in one recipient', { recipients: [{ organizationId: randomUUID(), anyMember: true }] }, 'recipients.0'],
    ['no form in a recipient', { recipients: [{}] }, 'recipients.0'],
    ['verbal without who heard it', { method: 'verbal-attested' }, 'attestedBy'],
    ['an end before the start', { period: { start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z' } }, 'period.end'],
    ['an end already past', { period: { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' } }, 'period.end'],
    ['an unknown category', { categories: ['finances'] }, 'categories'],
    ['no purpose', { purposes: [] }, 'purposes'],
    ['a client the caller did not register and may not see', { clientId: randomUUID() }, 'clientId'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_label, overrides, field) => {
    const before = await counts();
    const refused = await kit.post(referrer, '/v1/consents', body(overrides));
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('revokes for one recipient, then entirely: each announced once, each taking effect on the next decision', async () => {
    const own = await kit.registerClient(referrer, receiver);
    const { body: consent } = await kit.post(referrer, '/v1/consents', body({ clientId: own, recipients: [{ organizationId: receiver.id }, { anyMember: true }] }));
    const ask = { clientId: own, recipientOrganizationId: receiver.id, purpose: 'referral' as const, categories: ['contact' as const], sourceOrganizationIds: [referrer.id] };
    expect((await kit.messaging.request(ConsentRequests.decide, ask)).permitted).toBe(true);

    const one = await kit.post(referrer, `/v1/consents/${consent.id}/revoke`, { organizationId: receiver.id });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('active');
    expect(one.body.recipients[0]).toEqual({ organizationId: receiver.id, revokedAt: expect.any(String) });
    // Still a network member: `anyMember` holds.
    expect((await kit.messaging.request(ConsentRequests.decide, ask)).permitted).toBe(true);
    expect((await kit.post(referrer, `/v1/consents/${consent.id}/revoke`, { organizationId: receiver.id })).status).toBe(200);

    const all = await kit.post(referrer, `/v1/consents/${consent.id}/revoke`, {});
    expect(all.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect(await kit.messaging.request(ConsentRequests.decide, ask)).toMatchObject({ permitted: false, withheld: [{ category: 'contact', reason: 'consent-revoked' }] });
    expect((await kit.post(referrer, `/v1/consents/${consent.id}/revoke`, {})).status).toBe(200);

    const events = await kit.events(consent.id, 3);
    expect(events.map((e) => [e.type, e.data.organizationId])).toEqual([
      ['consent.v1.granted', undefined],
      ['consent.v1.revoked', receiver.id],
      ['consent.v1.revoked', undefined],
    ]);
  });

  it('refuses a recipient revocation for an organization the consent does not name, and a revocation by a recipient', async () => {
    const { body: consent } = await kit.post(referrer, '/v1/consents', body());
    const unnamed = await kit.post(referrer, `/v1/consents/${consent.id}/revoke`, { organizationId: randomUUID() });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors[0].field).toBe('organizationId');
    expect((await kit.post(receiver, `/v1/consents/${consent.id}/revoke`, {})).status).toBe(403);
  });

  it('expires consents at their end: the sweep marks them and announces consent.v1.expired once', async () => {
    const end = new Date(Date.now() + 60_000);
    const { body: consent } = await kit.post(referrer, '/v1/consents', body({ period: { start: new Date().toISOString(), end: end.toISOString() } }));
    const sweep = kit.network.service('consent').app.get(ConsentExpirySweep);
    const later = new Date(end.getTime() + 1000);
    expect(await sweep.run(later)).toBe(1);
    expect(await sweep.run(later)).toBe(0);
    const [, expired] = await kit.events(consent.id, 2);
    expect(expired).toMatchObject({ type: 'consent.v1.expired', data: { consentId: consent.id, clientId, expiredAt: end.toISOString() } });
    expect((await kit.get(referrer, `/v1/consents/${consent.id}`)).body.status).toBe('expired');
  });

  describe('FHIR (SDOHCC Consent)', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));

    it('imports the SDOHCC example: a written, open-ended consent for any member, everyday categories', async () => {
      const imported = await kit.post(referrer, `/v1/consents/$import?clientId=${clientId}`, fixture, FHIR_JSON);
      expect(imported.status).toBe(201);
      expect(imported.body).toMatchObject({
        clientId,
        grantorOrganizationId: referrer.id,
        recipients: [{ anyMember: true }],
        purposes: ['referral', 'care-coordination'],
        categories: ['contact', 'demographics', 'needs-and-screening'],
        method: 'written',
        period: { start: '2021-05-01T00:00:00.000Z' },
        evidence: expect.stringMatching(/^Consent\.sourceAttachment application\/pdf sha256:[0-9a-f]{64}$/),
        status: 'active',
      });
    });

    it('exports a consent as an SDOHCC Consent that imports back to the same terms', async () => {
      const { body: consent } = await kit.post(referrer, '/v1/consents', body({ categories: ['contact', 'substance-use'], method: 'verbal-attested', attestedBy: 'Sam' }));
      const exported = await kit.get(referrer, `/v1/consents/${consent.id}`, FHIR_JSON);
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toContain(FHIR_JSON);
      expect(exported.body).toMatchObject({
        resourceType: 'Consent',
        status: 'active',
        scope: { coding: [{ code: 'patient-privacy' }] },
        category: [{ coding: [{ code: 'IDSCL' }] }],
        patient: { reference: `Patient/${clientId}` },
        provision: { type: 'permit', securityLabel: [{ code: 'ETH' }] },
      });
      const again = await kit.post(referrer, '/v1/consents/$import', JSON.stringify(exported.body), FHIR_JSON);
      expect(again.status).toBe(201);
      for (const key of ['clientId', 'recipients', 'purposes', 'categories', 'method', 'attestedBy', 'period']) expect(again.body[key]).toEqual(consent[key]);
    });

    it.each([
      ['a deny provision', { provision: { type: 'deny' } }, 'Consent.provision.type'],
      ['another actor role', { provision: { actor: [{ role: { coding: [{ system: 'x', code: 'PRCP' }] }, reference: { reference: 'Organization/x' } }] } }, 'Consent.provision.actor[0].role'],
      ['a recipient outside the network', { provision: { actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] }, reference: { reference: 'Organization/SDOHCC-OrganizationPayerExample' } }] } }, 'Consent.provision.actor[0].reference'],
      ['another scope', { scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' }] } }, 'Consent.scope'],
      ['no client', {}, 'Consent.patient'],
      ['no signed source', { sourceAttachment: undefined }, 'Consent.source[x]'],
      ['not a Consent', { resourceType: 'Patient' }, 'Consent.resourceType'],
    ])('refuses %s with 400 naming the field, writing nothing', async (_label, change, field) => {
      const before = await counts();
      const resource = { ...fixture, ...change };
      const path = field === 'Consent.patient' ? '/v1/consents/$import' : `/v1/consents/$import?clientId=${clientId}`;
      const refused = await kit.post(referrer, path, JSON.stringify(resource), FHIR_JSON);
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });
  });
});
