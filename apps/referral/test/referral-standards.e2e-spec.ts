import { TestOrganization } from '@nwd/testing';
import { ReferralKit } from './referral-test-kit';

/** The network's clock: business days in America/New_York, US federal holidays, the partner agreement's defaults. */
describe('platform standards', () => {
  const kit = ReferralKit.forSuite();

  it.each([
    ['over a weekend: Friday → end of Tuesday', '2025-11-14T15:00:00-05:00', '2025-11-19T04:59:59.999Z'],
    ['over Thanksgiving: Wednesday → end of Monday', '2025-11-26T10:00:00-05:00', '2025-12-02T04:59:59.999Z'],
    ['over Christmas: Christmas Eve → end of Monday 29', '2025-12-24T16:00:00-05:00', '2025-12-30T04:59:59.999Z'],
    ['from a Saturday: counted from Monday', '2025-11-15T11:00:00-05:00', '2025-11-19T04:59:59.999Z'],
  ])('gives 2 business days to respond %s', async (_, createdAt, dueAt) => {
    const [clinic, pantry] = await kit.pair();
    const created = await kit.at(createdAt, () => kit.create(clinic, pantry));
    expect(created.dueDates.respond).toEqual({ dueAt, metAt: null, state: 'pending' });
    expect(created.createdAt).toBe(new Date(createdAt).toISOString());
  });

  it('counts 7 business days from acceptance to the first note, across Thanksgiving', async () => {
    const [clinic, pantry] = await kit.pair();
    const { id } = await kit.at('2025-11-26T10:00:00-05:00', () => kit.create(clinic, pantry));
    const accepted = await kit.at('2025-11-26T11:00:00-05:00', () => kit.drive(clinic, pantry, id, ['accepted']));
    // Friday 28 (1), December 1–5 (2–6), Monday 8 (7).
    expect(accepted.dueDates['first-note']).toEqual({ dueAt: '2025-12-09T04:59:59.999Z', metAt: null, state: 'pending' });
    expect(accepted.dueDates.respond).toMatchObject({ state: 'met', metAt: '2025-11-26T16:00:00.000Z' });
  });

  it('lists the breaches with overdue=true, excuses one with an exception note, and clears another when the standard is kept', async () => {
    const [clinic, pantry] = await kit.pair();
    const unanswered = (await kit.at('2025-11-26T10:00:00-05:00', () => kit.create(clinic, pantry))).id;
    const quiet = (await kit.at('2025-11-26T10:00:00-05:00', () => kit.create(clinic, pantry))).id;
    await kit.at('2025-11-26T10:30:00-05:00', () => kit.drive(clinic, pantry, quiet, ['accepted']));
    const recent = (await kit.at('2025-12-01T10:00:00-05:00', () => kit.create(clinic, pantry))).id;
    const stranger = await kit.network.organization();

    const overdue = (org: TestOrganization, at: string, query = '') =>
      kit.at(at, async () => (await kit.get(org, `/v1/referrals?overdue=true${query}`).expect(200)).body.data.map((r: any) => r.id));

    expect(await overdue(clinic, '2025-12-02T10:00:00-05:00', '&direction=sent')).toEqual([unanswered]);
    expect(await overdue(pantry, '2025-12-02T10:00:00-05:00', '&direction=received')).toEqual([unanswered]);
    expect(await overdue(stranger, '2025-12-02T10:00:00-05:00')).toEqual([]);
    expect(await overdue(clinic, '2025-12-09T10:00:00-05:00', '&order=asc')).toEqual([unanswered, quiet, recent]);

    const seen = await kit.at('2025-12-09T10:00:00-05:00', () => kit.read(clinic, quiet));
    expect(seen.overdue).toEqual(['first-note']);
    expect(seen.dueDates['first-note']).toMatchObject({ state: 'overdue', dueAt: '2025-12-09T04:59:59.999Z' });

    // An exception note explains the late response; the breach stays visible but leaves the list.
    const excused = await kit.at('2025-12-09T11:00:00-05:00', () =>
      kit.post(pantry, `/v1/referrals/${unanswered}/exceptions`, { standard: 'respond', text: 'Office closed after the storm' }).expect(201),
    );
    expect(excused.body.dueDates.respond.state).toBe('excused');
    expect(excused.body.overdue).toEqual([]);
    // Reporting, built from events, learns of the exception (which standard; the text stays in the API).
    const [exception] = await kit.sql(`SELECT envelope->'data' AS data FROM outbox WHERE subject = 'referral.v1.exception-noted' AND envelope->'data'->>'referralId' = $1`, [unanswered]);
    expect(exception.data).toMatchObject({ referralId: unanswered, standard: 'respond', status: 'requested' });
    expect(JSON.stringify(exception.data)).not.toContain('storm');
    // There is nothing to excuse where nothing is overdue.
    const notBreached = await kit.at('2025-12-09T11:00:00-05:00', () =>
      kit.post(pantry, `/v1/referrals/${quiet}/exceptions`, { standard: 'close', text: 'n/a' }).expect(422),
    );
    expect(notBreached.body).toMatchObject({ code: 'referral.standard-not-breached', overdue: ['first-note'] });

    // A late first note keeps the standard (late), and the referral leaves the list.
    await kit.at('2025-12-09T12:00:00-05:00', () => kit.post(pantry, `/v1/referrals/${quiet}/notes`, { text: 'Called twice, intake Friday', visibility: 'shared' }).expect(201));
    expect(await overdue(clinic, '2025-12-09T13:00:00-05:00', '&order=asc')).toEqual([recent]);
    const noted = await kit.at('2025-12-09T13:00:00-05:00', () => kit.read(clinic, quiet));
    expect(noted.dueDates['first-note'].state).toBe('met-late');
    expect(noted.dueDates['note-cadence']).toMatchObject({ state: 'pending', dueAt: '2026-03-09T16:00:00.000Z' }); // noon in New York, daylight time by then

    // An internal note keeps no standard.
    await kit.at('2025-12-09T12:00:00-05:00', () => kit.post(pantry, `/v1/referrals/${recent}/notes`, { text: 'to do', visibility: 'internal' }).expect(201));
    expect(await overdue(clinic, '2025-12-09T13:00:00-05:00', '&order=asc')).toEqual([recent]);
  });

  it('wants the case closed within 2 business days of the outcome becoming known, and flags 3 months without a note', async () => {
    const [clinic, pantry] = await kit.pair();
    const { id } = await kit.at('2025-09-01T10:00:00-04:00', () => kit.create(clinic, pantry));
    await kit.at('2025-09-02T10:00:00-04:00', () => kit.drive(clinic, pantry, id, ['accepted']));
    await kit.at('2025-09-03T10:00:00-04:00', () => kit.post(pantry, `/v1/referrals/${id}/notes`, { text: 'Enrolled in SNAP workshop', visibility: 'shared' }).expect(201));
    const quiet = await kit.at('2025-12-04T10:00:00-05:00', () => kit.read(clinic, id));
    expect(quiet.overdue).toEqual(['note-cadence']);
    expect(quiet.dueDates['note-cadence'].dueAt).toBe('2025-12-03T15:00:00.000Z'); // 10:00 in New York, standard time by then

    await kit.post(clinic, `/v1/referrals/${id}/outcome-known`, { knownAt: '2025-12-04T09:00:00-05:00' }).expect(403);
    const known = await kit.at('2025-12-04T10:00:00-05:00', () =>
      kit.post(pantry, `/v1/referrals/${id}/outcome-known`, { knownAt: '2025-12-04T09:00:00-05:00' }).expect(200),
    );
    expect(known.body.outcomeKnownAt).toBe('2025-12-04T14:00:00.000Z');
    const [event] = await kit.sql(`SELECT envelope->'data' AS data FROM outbox WHERE subject = 'referral.v1.outcome-known' AND envelope->'data'->>'referralId' = $1`, [id]);
    expect(event.data).toMatchObject({ referralId: id, status: 'accepted', outcomeKnownAt: '2025-12-04T14:00:00.000Z' });
    // Thursday 4 → Friday 5 (1), Monday 8 (2).
    expect(known.body.dueDates.close).toEqual({ dueAt: '2025-12-09T04:59:59.999Z', metAt: null, state: 'pending' });
    const late = await kit.at('2025-12-09T10:00:00-05:00', () => kit.read(clinic, id));
    expect(late.overdue).toEqual(['close', 'note-cadence']);
    const closed = await kit.at('2025-12-09T10:00:00-05:00', () => kit.status(pantry, id, { status: 'completed', outcome: 'client-enrolled', version: late.version }).expect(200));
    expect(closed.body.dueDates.close.state).toBe('met-late');
    expect(closed.body.overdue).toEqual([]);
    expect(closed.body.dueDates).not.toHaveProperty('note-cadence');
  });
});

describe('platform standards, configured', () => {
  const kit = ReferralKit.forSuite({
    env: { referral: { NWD_STANDARDS_RESPOND_BUSINESS_DAYS: 1, NWD_TIMEZONE: 'America/Los_Angeles', NWD_HOLIDAYS_STATE: 'CA' } },
  });

  it('follows the network’s policy, zone and state holidays (California’s day after Thanksgiving)', async () => {
    const clinic = await kit.network.organization({ kind: 'health-system' });
    const pantry = await kit.network.organization();
    // Wednesday 26 November 2025 in Los Angeles; Thanksgiving and the day after are California holidays.
    const created = await kit.at('2025-11-26T10:00:00-08:00', () => kit.create(clinic, pantry));
    expect(created.dueDates.respond.dueAt).toBe('2025-12-02T07:59:59.999Z');
  });
});
