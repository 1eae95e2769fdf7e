import { ReferralKit } from './referral-test-kit';

/**
 * The consent service down: a referral still reads, failing closed — its ids, needs, status and the
 * reader's own entries, with the client and other organizations' free text withheld as
 * `consent-unavailable` — while a create, which must register the client there, answers 503.
 */
describe('reads while the consent service is down (referral + directory, consent stopped)', () => {
  const kit = ReferralKit.forSuite();

  it('shows the referral with the person and others’ text withheld, and refuses creates with 503', async () => {
    const [clinic, pantry] = await kit.pair();
    const referral = await kit.create(clinic, pantry);
    await kit.drive(clinic, pantry, referral.id, ['accepted']);
    await kit.post(pantry, `/v1/referrals/${referral.id}/notes`, { text: 'Intake booked for Tuesday', visibility: 'shared' }).expect(201);
    await kit.post(clinic, `/v1/referrals/${referral.id}/notes`, { text: 'Client prefers mornings', visibility: 'shared' }).expect(201);
    expect((await kit.read(pantry, referral.id)).client).toMatchObject({ givenName: 'Rosa' });

    await kit.network.service('consent').close();

    const unavailable = { withheld: true, category: 'notes', reason: 'consent-unavailable' };
    const personWithheld = [
      { category: 'contact', reason: 'consent-unavailable' },
      { category: 'demographics', reason: 'consent-unavailable' },
    ];
    const atClinic = await kit.read(clinic, referral.id);
    expect(atClinic).toMatchObject({ id: referral.id, status: 'accepted', needs: ['food-insecurity', 'housing-instability'] });
    expect(atClinic.client).toEqual({ id: referral.clientId, withheld: personWithheld });
    expect(atClinic.description).toBe('Needs groceries this week');
    expect(atClinic.timeline.filter((e: any) => e.kind === 'note').map((e: any) => e.text)).toEqual([unavailable, 'Client prefers mornings']);

    const atPantry = await kit.read(pantry, referral.id);
    expect(atPantry.client).toEqual({ id: referral.clientId, withheld: personWithheld });
    expect(atPantry.description).toEqual(unavailable);
    expect(atPantry.timeline.filter((e: any) => e.kind === 'note').map((e: any) => e.text)).toEqual(['Intake booked for Tuesday', unavailable]);
    expect(JSON.stringify(atPantry)).not.toMatch(/Rosa|Delgado|groceries|mornings/);

    // Lists never needed the consent service.
    expect((await kit.get(pantry, '/v1/referrals').expect(200)).body.data.map((r: any) => r.id)).toEqual([referral.id]);
    const refused = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry)).expect(503);
    expect(refused.body).toMatchObject({ status: 503 });
  });
});
