import request from 'supertest';
import { DomainError } from '@nwd/errors';
import { pollUntil, TestOrganization } from '@nwd/testing';
import { ConsentGateway } from '../src/consent/consent-gateway';
import { ReferralKit } from './referral-test-kit';

/**
 * Whose records a read carries: the consent service is asked about the organizations that wrote
 * what the reader sees — a receiver's notes and outcome going back to the referrer, the new
 * receiver's entries on a forwarded link — so a substance-use program's records reach the sender
 * only under a consent naming it, with the notice, and the original sender of a chain reads its own
 * client as its own.
 */
describe('what a referral read carries, and from whom (referral + consent + directory)', () => {
  const kit = ReferralKit.forSuite();
  const gateway = () => kit.network.service('referral').app.get(ConsentGateway);

  /** Sets the protections as a network admin, and waits until the consent service decides with them. */
  async function protect(org: TestOrganization, protections: string[], clientId: string, recipient: TestOrganization) {
    await request(kit.network.server('directory')).patch(`/v1/organizations/${org.id}`).auth(kit.network.adminToken, { type: 'bearer' }).send({ protections }).expect(200);
    await pollUntil(
      () =>
        gateway()
          .decide({ clientId, recipientOrganizationId: recipient.id, purpose: 'referral', categories: ['notes'], sourceOrganizationIds: [org.id], toReferrer: true })
          .then(() => undefined, (error: unknown) => error),
      (refused) => refused instanceof DomainError,
      { timeoutMs: 15_000, what: `the consent service to know ${org.name}'s protections` },
    );
  }
  const disclosures = (referralId: string) =>
    kit.sql(
      `SELECT recipient_organization_id AS recipient, source_organization_ids AS sources, categories FROM disclosure WHERE referral_id = $1 ORDER BY seq`,
      [referralId],
      'consent',
    );
  const notes = (view: any) => view.timeline.filter((e: any) => e.kind === 'note').map((e: any) => e.text);

  it('a substance-use program’s notes and outcome reach the sender only under a consent naming it, with the Part 2 notice', async () => {
    const [clinic, program] = await kit.pair();
    const referral = await kit.create(clinic, program);
    await protect(program, ['substance-use'], referral.clientId, clinic);
    await kit.drive(clinic, program, referral.id, ['accepted']);
    await kit.post(program, `/v1/referrals/${referral.id}/notes`, { text: 'Started medication-assisted treatment', visibility: 'shared' }).expect(201);
    await kit.post(clinic, `/v1/referrals/${referral.id}/notes`, { text: 'Client asked for an evening slot', visibility: 'shared' }).expect(201);
    await kit.status(program, referral.id, { status: 'completed', outcome: 'other', outcomeText: 'Enrolled in outpatient treatment', version: 4 }).expect(200);

    const withheld = { withheld: true, category: 'notes', reason: 'no-consent' };
    const before = await kit.read(clinic, referral.id);
    // Its own client, description and note, as its own; the program's records withheld, and nothing disclosed.
    expect(before.client).toMatchObject({ id: referral.clientId, givenName: 'Rosa', phone: '+1 555 010 2000', withheld: [] });
    expect(before.description).toBe('Needs groceries this week');
    expect(notes(before)).toEqual([withheld, 'Client asked for an evening slot']);
    expect(before.outcomeText).toEqual(withheld);
    expect(before.timeline.at(-1)).toMatchObject({ kind: 'status-changed', toStatus: 'completed', outcome: 'other', text: withheld });
    expect(before).not.toHaveProperty('redisclosureNotice');
    expect(JSON.stringify(before)).not.toMatch(/medication|outpatient/);
    expect((await disclosures(referral.id)).filter((d) => d.recipient === clinic.id)).toEqual([]);

    // A consent that does not name the sender will not do for Part 2 records.
    const anyMember = await kit.consentApi(clinic, 'post', '/v1/consents', {
      clientId: referral.clientId,
      recipients: [{ anyMember: true }],
      purposes: ['referral'],
      categories: ['notes'],
      method: 'written',
    });
    expect(anyMember.status).toBe(201);
    expect(notes(await kit.read(clinic, referral.id))[0]).toEqual({ ...withheld, reason: 'substance-use-protection' });

    await kit.grant(clinic, referral.clientId, [clinic], ['notes']);
    const after = await kit.read(clinic, referral.id);
    expect(notes(after)).toEqual(['Started medication-assisted treatment', 'Client asked for an evening slot']);
    expect(after.outcomeText).toBe('Enrolled in outpatient treatment');
    expect(after.redisclosureNotice).toMatch(/42 CFR part 2 prohibits unauthorized use or disclosure/);
    // The accounting names the program as the source of what the sender was shown.
    const toClinic = await pollUntil(
      async () => (await disclosures(referral.id)).filter((d) => d.recipient === clinic.id),
      (rows) => rows.length >= 1,
      { timeoutMs: 10_000, what: 'the disclosure to the sender' },
    );
    expect(toClinic).toEqual([{ recipient: clinic.id, sources: [program.id], categories: ['notes'] }]);

    // The program itself reads its own records as written, and the sender's note under the referral's consent.
    const atProgram = await kit.read(program, referral.id);
    expect(notes(atProgram)).toEqual(['Started medication-assisted treatment', 'Client asked for an evening slot']);
  });

  it('an ordinary receiver’s notes go back to the sender with no consent of their own, recorded as a disclosure', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await kit.create(clinic, pantry);
    await kit.post(pantry, `/v1/referrals/${referral.id}/notes`, { text: 'Picked up a box on Monday', visibility: 'shared' }).expect(201);
    const view = await kit.read(clinic, referral.id);
    expect(notes(view)).toEqual(['Picked up a box on Monday']);
    expect(view).not.toHaveProperty('redisclosureNotice');
    const rows = await pollUntil(() => disclosures(referral.id), (found) => found.length >= 1, { timeoutMs: 10_000, what: 'the disclosure to the sender' });
    expect(rows).toEqual([{ recipient: clinic.id, sources: [pantry.id], categories: ['notes'] }]);
  });

  describe('the original sender reading the forwarded link', () => {
    it('sees its own client (not a disclosure), the chain, and the new receiver’s notes back to it', async () => {
      const [clinic, pantry] = await kit.pair();
      const shelter = await kit.network.organization();
      const referral = await kit.create(clinic, pantry);
      await kit.grant(clinic, referral.clientId, [shelter]);
      const forwarded = (await kit.post(pantry, `/v1/referrals/${referral.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'Housing, not food', version: 1 }).expect(201)).body;
      await kit.post(shelter, `/v1/referrals/${forwarded.id}/notes`, { text: 'Bed reserved for Friday', visibility: 'shared' }).expect(201);
      await kit.post(shelter, `/v1/referrals/${forwarded.id}/notes`, { text: 'Shelter-only remark', visibility: 'internal' }).expect(201);

      const atClinic = await kit.read(clinic, forwarded.id);
      expect(atClinic).toMatchObject({ id: forwarded.id, senderOrganizationId: pantry.id, receivingOrganizationId: shelter.id, status: 'requested' });
      expect(atClinic.chain.map((link: any) => link.id)).toEqual([referral.id, forwarded.id]);
      expect(atClinic.client).toMatchObject({ id: referral.clientId, givenName: 'Rosa', phone: '+1 555 010 2000', withheld: [] });
      expect(atClinic.description).toBe('Needs groceries this week');
      expect(notes(atClinic)).toEqual(['Bed reserved for Friday']);
      // The forwarder reads its forwarded link the same way: the client under the consent it received it by.
      const atPantry = await kit.read(pantry, forwarded.id);
      expect(atPantry.client).toMatchObject({ givenName: 'Rosa', withheld: [] });
      expect(notes(atPantry)).toEqual(['Bed reserved for Friday']);

      const rows = await pollUntil(
        () => disclosures(forwarded.id),
        (found) => found.length >= 3,
        { timeoutMs: 10_000, what: 'the disclosures of the forwarded link' },
      );
      // The clinic's own client was not disclosed to it; the shelter's note was, and the person to the forwarder.
      expect(rows).toEqual(
        expect.arrayContaining([
          { recipient: clinic.id, sources: [shelter.id], categories: ['notes'] },
          { recipient: pantry.id, sources: [clinic.id], categories: ['contact', 'demographics', 'notes'] },
          { recipient: pantry.id, sources: [shelter.id], categories: ['notes'] },
        ]),
      );
      expect(rows.filter((d) => d.recipient === clinic.id)).toHaveLength(1);
    });

    it('a de-identified chain stays de-identified for the forwarder, and the original sender still knows its client', async () => {
      const [clinic, pantry] = await kit.pair();
      const shelter = await kit.network.organization();
      const referral = await kit.create(clinic, pantry, { consent: undefined, deidentified: true });
      const forwarded = (await kit.post(pantry, `/v1/referrals/${referral.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'Housing, not food', version: 1 }).expect(201)).body;
      for (const reader of [pantry, shelter]) {
        const view = await kit.read(reader, forwarded.id);
        expect(view.client).toMatchObject({ deidentified: true });
        expect(JSON.stringify(view)).not.toContain(referral.clientId);
        expect(JSON.stringify(view)).not.toMatch(/Rosa|groceries/);
      }
      expect((await kit.read(clinic, forwarded.id)).client).toMatchObject({ id: referral.clientId, givenName: 'Rosa' });
    });
  });
});
