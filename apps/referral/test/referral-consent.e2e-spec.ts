import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import { DomainError } from '@nwd/errors';
import { pollUntil, TestOrganization } from '@nwd/testing';
import { ConsentGateway } from '../src/consent/consent-gateway';
import { fields, ReferralKit, VERBAL_CONSENT } from './referral-test-kit';

const run = promisify(execFile);

/**
 * The referral service with the consent service: the person's data lives there, every read by
 * another organization is decided and recorded there, and a referral without a permitting consent
 * is refused before anything is written here.
 */
describe('referrals under consent (referral + consent + directory)', () => {
  // The consent service marks consents past their end expired every second here (30 s by default).
  const kit = ReferralKit.forSuite({ env: { consent: { NWD_CONSENT_EXPIRY_SWEEP_INTERVAL_SECONDS: 1 } } });
  /** Every read by a receiver that showed client data: what the accounting of disclosures must hold, no more. */
  const disclosed: { referralId: string; recipient: string }[] = [];
  const referralIds: string[] = [];

  async function readAsReceiver(org: TestOrganization, id: string) {
    const view = await kit.read(org, id);
    if (view.client?.givenName !== undefined) disclosed.push({ referralId: id, recipient: org.id });
    return view;
  }
  async function created(from: TestOrganization, to: TestOrganization, overrides: Record<string, unknown> = {}) {
    const referral = await kit.create(from, to, overrides);
    referralIds.push(referral.id);
    return referral;
  }
  const referralFootprint = async (org: TestOrganization) => ({
    referrals: (await kit.sql(`SELECT count(*)::int AS n FROM referral WHERE sender_organization_id = $1`, [org.id]))[0].n,
    events: (await kit.sql(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'data'->>'senderOrganizationId' = $1`, [org.id]))[0].n,
  });

  it('with an inline verbal consent: the receiver reads the client, the sender its own record, both with the description', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await created(clinic, pantry);
    expect(referral.clientId).toMatch(/^[0-9a-f-]{36}$/);
    const atPantry = await readAsReceiver(pantry, referral.id);
    expect(atPantry.client).toMatchObject({ id: referral.clientId, givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', withheld: [] });
    expect(atPantry.description).toBe('Needs groceries this week');
    expect(atPantry.deidentified).toBe(false);
    const atClinic = await kit.read(clinic, referral.id);
    expect(atClinic.client).toMatchObject({ id: referral.clientId, givenName: 'Rosa', phone: '+1 555 010 2000' });
    // The consent the receiver relies on is kept with the referral, so a revocation finds it.
    const [row] = await kit.sql(`SELECT consent_ids FROM referral WHERE id = $1`, [referral.id]);
    expect(row.consent_ids).toHaveLength(1);
    // Lists carry no personal data, for either side.
    for (const org of [clinic, pantry]) {
      const listed = (await kit.get(org, '/v1/referrals').expect(200)).body.data[0];
      expect(listed.id).toBe(referral.id);
      expect(listed).not.toHaveProperty('client');
      expect(listed).not.toHaveProperty('description');
    }
  });

  it('without a consent: 422 consent-required naming what is missing, and nothing written in the referral service', async () => {
    const [clinic, pantry] = await kit.pair();
    const before = await referralFootprint(clinic);
    const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { consent: undefined })).expect(422);
    expect(res.body).toMatchObject({ code: 'consent-required', status: 422 });
    expect([...res.body.missing].sort()).toEqual(['contact', 'demographics', 'notes']);
    expect(res.body.withheld).toEqual(expect.arrayContaining([{ category: 'contact', reason: 'no-consent' }]));
    expect(res.body.detail).toMatch(/contact/);
    // A consent for contact alone covers neither the name (demographics) nor the description (free text is notes).
    const partly = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { consent: { ...VERBAL_CONSENT, categories: ['contact'] } })).expect(422);
    expect([...partly.body.missing].sort()).toEqual(['demographics', 'notes']);
    expect(await referralFootprint(clinic)).toEqual(before);
  });

  it('de-identified: the receiver reads no identifiers and no free text, only the needs; the sender keeps its record', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await created(clinic, pantry, { consent: undefined, deidentified: true });
    const atPantry = await readAsReceiver(pantry, referral.id);
    expect(atPantry.client).toEqual({
      deidentified: true,
      withheld: [
        { category: 'contact', reason: 'deidentified' },
        { category: 'demographics', reason: 'deidentified' },
      ],
    });
    expect(atPantry.description).toEqual({ withheld: true, category: 'notes', reason: 'deidentified' });
    expect(atPantry.needs).toEqual(['food-insecurity', 'housing-instability']);
    expect(JSON.stringify(atPantry)).not.toMatch(/Rosa|Delgado|1979-05-14|555 010|groceries/);
    expect(JSON.stringify(atPantry)).not.toContain(referral.clientId);
    expect((await kit.read(clinic, referral.id)).client).toMatchObject({ givenName: 'Rosa' });
  });

  it('the inline client is a registration like POST /v1/clients: the self-reported demographics reach the register', async () => {
    const [clinic, pantry] = await kit.pair();
    const client = { ...kit.referralBody(pantry).client, race: ['2106-3'], ethnicity: ['2135-2'], sex: 'female', genderIdentity: 'woman' };
    const referral = await created(clinic, pantry, { client });
    const atClinic = await kit.read(clinic, referral.id);
    expect(atClinic.client).toMatchObject({ givenName: 'Rosa', race: ['2106-3'], ethnicity: ['2135-2'], sex: 'female', genderIdentity: 'woman' });
    const registered = await kit.consentApi(clinic, 'get', `/v1/clients/${referral.clientId}`).expect(200);
    expect(registered.body).toMatchObject({ race: ['2106-3'], sex: 'female' });
  });

  it('a third organization gets 404 for the referral, and no client', async () => {
    const [clinic, pantry] = await kit.pair();
    const stranger = await kit.network.organization();
    const referral = await created(clinic, pantry);
    const res = await kit.get(stranger, `/v1/referrals/${referral.id}`).expect(404);
    expect(JSON.stringify(res.body)).not.toMatch(/Rosa/);
  });

  it('a revocation applies to the very next read, and referral.v1.consent-revoked goes out', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await created(clinic, pantry);
    await readAsReceiver(pantry, referral.id);
    const [{ consent_ids: [consentId] }] = await kit.sql(`SELECT consent_ids FROM referral WHERE id = $1`, [referral.id]);
    await kit.consentApi(clinic, 'post', `/v1/consents/${consentId}/revoke`, {}).expect(200);

    const after = await readAsReceiver(pantry, referral.id);
    expect(after.client.id).toBe(referral.clientId);
    expect(after.client).not.toHaveProperty('givenName');
    expect(after.client.withheld).toEqual(expect.arrayContaining([{ category: 'contact', reason: 'consent-revoked' }]));
    expect(after.description).toEqual({ withheld: true, category: 'notes', reason: 'consent-revoked' });

    const events = await pollUntil(
      () => kit.events([referral.id], 2),
      (found) => found.some((e) => e.type === 'referral.v1.consent-revoked'),
      { timeoutMs: 15_000, what: 'referral.v1.consent-revoked' },
    );
    const revoked = events.find((e) => e.type === 'referral.v1.consent-revoked')!;
    expect(revoked.data).toMatchObject({ referralId: referral.id, receivingOrganizationId: pantry.id, status: 'requested', version: 2 });
    expect(JSON.stringify(revoked)).not.toMatch(/Rosa|Delgado/);
    // The sender still reads its own record.
    expect((await kit.read(clinic, referral.id)).client).toMatchObject({ givenName: 'Rosa' });
  });

  it('forwarding needs a consent for the new recipient: 422 without one, and the new receiver reads the client with one', async () => {
    const [clinic, pantry] = await kit.pair();
    const shelter = await kit.network.organization();
    const referral = await created(clinic, pantry);
    const refused = await kit.post(pantry, `/v1/referrals/${referral.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'Housing, not food', version: 1 }).expect(422);
    expect(refused.body).toMatchObject({ code: 'consent-required', recipientOrganizationId: shelter.id });
    expect([...refused.body.missing].sort()).toEqual(['contact', 'demographics', 'notes']);
    expect((await kit.read(clinic, referral.id)).status).toBe('requested');

    await kit.grant(clinic, referral.clientId, [shelter]);
    const forwarded = (await kit.post(pantry, `/v1/referrals/${referral.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'Housing, not food', version: 1 }).expect(201)).body;
    referralIds.push(forwarded.id);
    expect(forwarded).not.toHaveProperty('clientId');
    const atShelter = await readAsReceiver(shelter, forwarded.id);
    expect(atShelter.client).toMatchObject({ id: referral.clientId, givenName: 'Rosa', withheld: [] });
  });

  it('takes a registered client by clientId, and exactly one of client and clientId (400 naming the field)', async () => {
    const [clinic, pantry] = await kit.pair();
    const first = await created(clinic, pantry);
    const { client: _, ...withoutClient } = kit.referralBody(pantry);
    const again = await created(clinic, pantry, { client: undefined, clientId: first.clientId });
    expect(again.clientId).toBe(first.clientId);
    expect((await readAsReceiver(pantry, again.id)).client).toMatchObject({ id: first.clientId, givenName: 'Rosa' });

    const both = await kit.post(clinic, '/v1/referrals', { ...withoutClient, client: kit.referralBody(pantry).client, clientId: first.clientId }).expect(400);
    expect(fields(both.body)).toEqual(['clientId']);
    expect(fields((await kit.post(clinic, '/v1/referrals', withoutClient).expect(400)).body)).toEqual(['client']);
    const unattested = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { consent: { method: 'verbal-attested', categories: ['contact'] } })).expect(400);
    expect(fields(unattested.body)).toEqual(['consent.attestedBy']);
    const badConsent = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { consent: { method: 'nodded', categories: ['gossip'] } })).expect(400);
    expect(fields(badConsent.body).sort()).toEqual(['consent.categories', 'consent.method']);
  });

  it('a replayed Idempotency-Key answers the first response without asking the consent service again', async () => {
    const [clinic, pantry] = await kit.pair();
    const key = `consent-${randomUUID()}`;
    const first = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry), key).expect(201);
    referralIds.push(first.body.id);
    const gateway = kit.network.service('referral').app.get(ConsentGateway);
    const asked = jest.spyOn(gateway, 'registerForReferral');
    try {
      const replay = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry), key).expect(201);
      expect(replay.body).toEqual(first.body);
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
    expect(await kit.sql(`SELECT count(*)::int AS n FROM referral WHERE sender_organization_id = $1`, [clinic.id])).toEqual([{ n: 1 }]);
  });

  it('a retry with the same Idempotency-Key after a crash between the consent step and the commit registers the client once', async () => {
    const [clinic, pantry] = await kit.pair();
    const key = `crash-${randomUUID()}`;
    const tag = clinic.id.replace(/-/g, '');
    // A crash after the consent service's step: the referral's own statement fails, once, for this sender only.
    await kit.sql(
      `CREATE SEQUENCE crash_${tag};
       CREATE FUNCTION crash_${tag}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.sender_organization_id = '${clinic.id}' AND nextval('crash_${tag}') = 1 THEN RAISE EXCEPTION 'simulated crash'; END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER crash_${tag} BEFORE INSERT ON referral FOR EACH ROW EXECUTE FUNCTION crash_${tag}();`,
    );
    try {
      await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry), key).expect(500);
      expect(await kit.sql(`SELECT count(*)::int AS n FROM client WHERE created_by_organization_id = $1`, [clinic.id], 'consent')).toEqual([{ n: 1 }]);
      const retried = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry), key).expect(201);
      referralIds.push(retried.body.id);
      expect(await kit.sql(`SELECT count(*)::int AS n FROM client WHERE created_by_organization_id = $1`, [clinic.id], 'consent')).toEqual([{ n: 1 }]);
      expect(await kit.sql(`SELECT id, client_id AS "clientId" FROM referral WHERE sender_organization_id = $1`, [clinic.id])).toEqual([
        { id: retried.body.id, clientId: retried.body.clientId },
      ]);
      // Another body under a new key is another referral, with another id.
      const other = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { description: 'Needs a ride' }), `${key}-2`).expect(201);
      referralIds.push(other.body.id);
      expect(other.body.id).not.toBe(retried.body.id);
    } finally {
      await kit.sql(`DROP TRIGGER crash_${tag} ON referral; DROP FUNCTION crash_${tag}(); DROP SEQUENCE crash_${tag};`);
    }
  });

  it('an expiry is news too: referral.v1.consent-revoked, and the next read withholds the client as expired', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await created(clinic, pantry, { consent: { ...VERBAL_CONSENT, expiresAt: new Date(Date.now() + 2_000).toISOString() } });
    const events = await pollUntil(
      () => kit.events([referral.id], 1),
      (found) => found.some((e) => e.type === 'referral.v1.consent-revoked'),
      { timeoutMs: 20_000, what: 'referral.v1.consent-revoked after the expiry' },
    );
    expect(events.filter((e) => e.type === 'referral.v1.consent-revoked')).toHaveLength(1);
    const after = await readAsReceiver(pantry, referral.id);
    expect(after.client.withheld).toEqual(expect.arrayContaining([{ category: 'contact', reason: 'consent-expired' }]));
    expect(await kit.sql(`SELECT consent_ids, version FROM referral WHERE id = $1`, [referral.id])).toEqual([{ consent_ids: [], version: 2 }]);
  });

  it('a merge of duplicate clients moves their referrals to the surviving id', async () => {
    const clinic = await kit.network.organization({ kind: 'health-system', roles: ['staff', 'org-admin'] });
    const pantry = await kit.network.organization();
    const first = await created(clinic, pantry);
    const duplicate = await created(clinic, pantry, { client: { givenName: 'Rosa', familyName: 'Delgado-Ruiz', birthDate: '1979-05-14' } });
    expect(duplicate.clientId).not.toBe(first.clientId);
    await kit.consentApi(clinic, 'post', `/v1/clients/${first.clientId}/merge`, { duplicateId: duplicate.clientId }).expect(200);
    await pollUntil(
      () => kit.sql(`SELECT client_id FROM referral WHERE id = $1`, [duplicate.id]),
      (rows) => rows[0]?.client_id === first.clientId,
      { timeoutMs: 15_000, what: 'consent.v1.client-merged to move the referral' },
    );
    expect((await readAsReceiver(pantry, duplicate.id)).client).toMatchObject({ id: first.clientId, givenName: 'Rosa' });
    expect((await kit.read(clinic, first.id)).client.id).toBe(first.clientId);
  });

  describe('sensitive programs', () => {
    /** Sets the protections as a network admin, and waits until the consent service decides with them. */
    async function protect(org: TestOrganization, protections: string[], probe: () => Promise<unknown>) {
      await request(kit.network.server('directory')).patch(`/v1/organizations/${org.id}`).auth(kit.network.adminToken, { type: 'bearer' }).send({ protections }).expect(200);
      await pollUntil(probe, (refused) => refused instanceof DomainError, { timeoutMs: 15_000, what: `the consent service to know ${org.name}'s protections` });
    }
    const gateway = () => kit.network.service('referral').app.get(ConsentGateway);
    const refusal = (work: Promise<unknown>) => work.then(() => undefined, (error: unknown) => error);

    it('a domestic-violence program gets no identifiers on a verbal consent (422), and the referral still flows de-identified', async () => {
      const [clinic, shelter] = await kit.pair();
      const known = await created(clinic, await kit.network.organization());
      await protect(shelter, ['domestic-violence'], () =>
        refusal(gateway().decide({ clientId: known.clientId, recipientOrganizationId: shelter.id, purpose: 'referral', categories: ['needs-and-screening', 'contact'], sourceOrganizationIds: [clinic.id] })),
      );
      const before = await referralFootprint(clinic);
      const refused = await kit.post(clinic, '/v1/referrals', kit.referralBody(shelter)).expect(422);
      expect(refused.body.code).toBe('consent-required');
      expect(refused.body.withheld).toEqual(expect.arrayContaining([{ category: 'contact', reason: 'domestic-violence-protection' }]));
      expect(await referralFootprint(clinic)).toEqual(before);

      const { consent: _, ...withoutConsent } = kit.referralBody(shelter);
      const referral = await created(clinic, shelter, { ...withoutConsent, deidentified: true });
      const atShelter = await readAsReceiver(shelter, referral.id);
      expect(atShelter.client).toMatchObject({ deidentified: true });
      expect(JSON.stringify(atShelter)).not.toMatch(/Rosa|Delgado|1979-05-14/);
    });

    it('a substance-use program’s referral never goes on through a forward, even under a consent naming the new receiver', async () => {
      const [clinic, program] = await kit.pair();
      const shelter = await kit.network.organization();
      const referral = await created(clinic, program);
      await kit.grant(clinic, referral.clientId, [shelter]);
      await protect(program, ['substance-use'], () =>
        refusal(
          gateway().decide({
            clientId: referral.clientId,
            recipientOrganizationId: shelter.id,
            purpose: 'referral',
            categories: ['contact'],
            sourceOrganizationIds: [clinic.id, program.id],
            channel: 'forward',
          }),
        ),
      );
      const res = await kit.post(program, `/v1/referrals/${referral.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'Housing first', version: 1 }).expect(422);
      expect(res.body.code).toBe('consent-required');
      expect(res.body.withheld).toEqual(expect.arrayContaining([{ category: 'contact', reason: 'substance-use-protection' }]));
      expect((await kit.read(clinic, referral.id)).status).toBe('requested');
    });
  });

  // Last, after every read of the suite (nested blocks run after the tests beside them).
  describe('the accounting of disclosures', () => {
    it('the accounting of disclosures holds exactly the reads that disclosed, and editing one row is detected', async () => {
      const rows = await kit.sql(
        `SELECT referral_id AS "referralId", recipient_organization_id AS recipient, channel FROM disclosure WHERE referral_id = ANY($1::uuid[]) ORDER BY seq`,
        [referralIds],
        'consent',
      );
      expect(rows).toEqual(disclosed.map((d) => ({ ...d, channel: 'referral-read' })));

      const env = { ...process.env, DATABASE_URL: kit.network.service('consent').database.url };
      await expect(run('npm', ['run', '-s', 'consent:verify-disclosures'], { env })).resolves.toBeDefined();
      // Whoever can get past the append-only trigger can change a row, but not its hash.
      await kit.sql(
        `BEGIN; ALTER TABLE disclosure DISABLE TRIGGER disclosure_append_only;
         UPDATE disclosure SET recipient_organization_id = $1 WHERE seq = (SELECT min(seq) FROM disclosure);
         ALTER TABLE disclosure ENABLE TRIGGER disclosure_append_only; COMMIT;`.replace('$1', `'${randomUUID()}'`),
        [],
        'consent',
      );
      const tampered = await run('npm', ['run', '-s', 'consent:verify-disclosures'], { env }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(tampered?.code).not.toBe(0);
      expect(`${tampered?.stdout}${tampered?.stderr}`).toMatch(/seq|row|hash/i);
    });
  });
});
