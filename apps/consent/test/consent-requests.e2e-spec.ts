import { v7 as uuidv7 } from 'uuid';
import { ConsentRequests } from '@nwd/contracts';
import { ConsentKit } from './consent-kit';

/** The PDP's requests on real NATS and PostgreSQL, as the referral service asks them. */
describe('consent requests: registerReferralClient, decide, disclose', () => {
  const kit = ConsentKit.forSuite();
  const count = async (table: string) => Number((await kit.sql(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('registers an inline client with an inline verbal consent for the receiver, and the receiver may read it', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const reply = await kit.registerReferral({
      senderOrganizationId: sender.id,
      receivingOrganizationId: receiver.id,
      client: kit.person(),
      consent: { method: 'verbal-attested', attestedBy: 'Nurse Joy', categories: ['contact', 'demographics', 'notes'] },
      categories: ['notes'],
    });
    expect(reply.consentId).toEqual(expect.any(String));
    expect(reply.decision).toEqual({ permitted: true, allowed: ['needs-and-screening', 'contact', 'demographics', 'notes'], withheld: [], consentIds: [reply.consentId] });

    const read = await kit.messaging.request(ConsentRequests.disclose, {
      clientId: reply.clientId,
      recipientOrganizationId: receiver.id,
      purpose: 'referral',
      categories: ['contact', 'demographics'],
      sourceOrganizationIds: [sender.id],
      channel: 'referral-read',
    });
    expect(read.client).toMatchObject({ id: reply.clientId, givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', phone: '+1 555 010 2000' });
    expect(read.disclosureId).toEqual(expect.any(String));
    const [row] = await kit.sql(`SELECT recipient_organization_id, categories, consent_ids, channel FROM disclosure WHERE id = $1`, [read.disclosureId]);
    expect(row).toEqual({ recipient_organization_id: receiver.id, categories: ['contact', 'demographics'], consent_ids: [reply.consentId], channel: 'referral-read' });
  });

  it('answers a batch of disclosures item by item, in order: each decided and recorded as if asked alone, an unknown client refused alone', async () => {
    const [sender, receiver, other] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization(), await kit.network.organization()];
    const reply = await kit.registerReferral({
      senderOrganizationId: sender.id,
      receivingOrganizationId: receiver.id,
      client: kit.person(),
      consent: { method: 'verbal-attested', attestedBy: 'Nurse Joy', categories: ['contact', 'demographics'] },
      categories: [],
    });
    const ask = (clientId: string, recipientOrganizationId: string, requestId: string) => ({
      clientId,
      recipientOrganizationId,
      purpose: 'referral' as const,
      categories: ['contact' as const, 'demographics' as const],
      sourceOrganizationIds: [sender.id],
      channel: 'referral-read' as const,
      requestId,
    });
    const unknown = uuidv7();
    const { results } = await kit.messaging.request(ConsentRequests.discloseBatch, {
      items: [ask(reply.clientId, receiver.id, 'batch-1'), ask(unknown, receiver.id, 'batch-2'), ask(reply.clientId, other.id, 'batch-3'), ask(reply.clientId, receiver.id, 'batch-4')],
    });
    expect(results.map((r) => (r.reply ? (r.reply.client ? 'disclosed' : 'withheld') : r.error!.code))).toEqual(['disclosed', 'consent.client-not-found', 'withheld', 'disclosed']);
    expect(results[0]!.reply!.client).toMatchObject({ id: reply.clientId, givenName: 'Rosa' });
    expect(results[2]!.reply!.decision.withheld).toEqual([
      { category: 'contact', reason: 'no-consent' },
      { category: 'demographics', reason: 'no-consent' },
    ]);
    // The accounting holds exactly the two disclosures made, each with its own request id.
    const rows = await kit.sql(`SELECT id, request_id FROM disclosure WHERE request_id LIKE 'batch-%' ORDER BY request_id`);
    expect(rows).toEqual([
      { id: results[0]!.reply!.disclosureId, request_id: 'batch-1' },
      { id: results[3]!.reply!.disclosureId, request_id: 'batch-4' },
    ]);
  });

  it('registers a batch item by item: one refused alone with nothing written for it, a twin of another answered as it', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const consent = { method: 'verbal-attested' as const, attestedBy: 'Nurse Joy', categories: ['contact' as const, 'demographics' as const] };
    const step = (referralId: string, withConsent: boolean) => ({
      referralId,
      senderOrganizationId: sender.id,
      receivingOrganizationId: receiver.id,
      client: kit.person(),
      ...(withConsent ? { consent } : {}),
      deidentified: false,
      categories: [],
    });
    const [first, refused, second] = [uuidv7(), uuidv7(), uuidv7()];
    const clientsBefore = await count('client');
    const { results } = await kit.messaging.request(ConsentRequests.registerReferralClientBatch, {
      items: [step(first, true), step(refused, false), step(second, true), step(first, true)],
    });
    expect(results.map((r) => r.error?.code ?? 'registered')).toEqual(['registered', 'consent-required', 'registered', 'registered']);
    // The twin of the first referral answers the first one's reply: one client, one consent for it.
    expect(results[3]!.reply).toEqual(results[0]!.reply);
    expect(results[2]!.reply!.clientId).not.toBe(results[0]!.reply!.clientId);
    expect(await count('client')).toBe(clientsBefore + 2);
    const keys = await kit.sql(`SELECT referral_id FROM referral_client_registration WHERE referral_id = ANY($1::uuid[]) ORDER BY referral_id`, [[first, refused, second]]);
    expect(keys.map((k) => k.referral_id)).toEqual([first, second].sort());
  });

  it('refuses personal data with no consent: consent-required naming the categories, nothing written', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const before = [await count('client'), await count('consent'), await count('referral_client_registration'), await count('outbox')];
    const refused = kit.registerReferral({ senderOrganizationId: sender.id, receivingOrganizationId: receiver.id, client: kit.person(), categories: ['notes'] });
    await expect(refused).rejects.toMatchObject({ code: 'consent-required', kind: 'unprocessable', extensions: { missing: ['contact', 'demographics', 'notes'] } });
    expect([await count('client'), await count('consent'), await count('referral_client_registration'), await count('outbox')]).toEqual(before);
  });

  it('sends de-identified with no consent: only the needs are allowed', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const reply = await kit.registerReferral({ senderOrganizationId: sender.id, receivingOrganizationId: receiver.id, client: kit.person(), deidentified: true, categories: ['notes'] });
    expect(reply.decision).toEqual({ permitted: false, allowed: ['needs-and-screening'], withheld: [{ category: 'notes', reason: 'no-consent' }], consentIds: [] });
    const read = await kit.messaging.request(ConsentRequests.disclose, {
      clientId: reply.clientId,
      recipientOrganizationId: receiver.id,
      purpose: 'referral',
      categories: ['contact', 'demographics', 'needs-and-screening'],
      sourceOrganizationIds: [sender.id],
      channel: 'referral-read',
    });
    expect(read.client).toBeUndefined();
    expect(read.decision.allowed).toEqual(['needs-and-screening']);
  });

  it('answers a repeated registration as the first time and writes nothing more', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const ask = {
      referralId: uuidv7(),
      senderOrganizationId: sender.id,
      receivingOrganizationId: receiver.id,
      client: kit.person({ givenName: 'Ana' }),
      consent: { method: 'written' as const, categories: ['contact' as const, 'demographics' as const] },
    };
    const first = await kit.registerReferral(ask);
    const counts = [await count('client'), await count('consent'), await count('outbox')];
    const again = await kit.registerReferral(ask);
    expect(again).toEqual(first);
    expect([await count('client'), await count('consent'), await count('outbox')]).toEqual(counts);
  });

  it('decides without recording; the registering organization’s own read is not a disclosure', async () => {
    const [sender, receiver] = [await kit.network.organization({ kind: 'health-system' }), await kit.network.organization()];
    const clientId = await kit.registerClient(sender, receiver);
    const disclosures = await count('disclosure');
    const decision = await kit.messaging.request(ConsentRequests.decide, {
      clientId,
      recipientOrganizationId: receiver.id,
      purpose: 'referral',
      categories: ['contact'],
      sourceOrganizationIds: [sender.id],
    });
    expect(decision).toEqual({ permitted: false, allowed: [], withheld: [{ category: 'contact', reason: 'no-consent' }], consentIds: [] });
    const own = await kit.messaging.request(ConsentRequests.disclose, {
      clientId,
      recipientOrganizationId: sender.id,
      purpose: 'referral',
      categories: ['contact', 'demographics'],
      sourceOrganizationIds: [sender.id],
      channel: 'referral-read',
    });
    expect(own.client).toMatchObject({ givenName: 'Rosa', phone: '+1 555 010 2000' });
    expect(own.disclosureId).toBeUndefined();
    expect(await count('disclosure')).toBe(disclosures);
  });

  it('answers consent.client-not-found for a clientId the sender may not see', async () => {
    const [owner, stranger, receiver] = [await kit.network.organization(), await kit.network.organization(), await kit.network.organization()];
    const clientId = await kit.registerClient(owner, receiver);
    await expect(
      kit.registerReferral({ senderOrganizationId: stranger.id, receivingOrganizationId: receiver.id, clientId, deidentified: true }),
    ).rejects.toMatchObject({ code: 'consent.client-not-found', kind: 'not-found' });
  });
});
