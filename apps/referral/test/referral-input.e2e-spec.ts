import { randomUUID } from 'node:crypto';
import { ServiceName, TestOrganization } from '@nwd/testing';
import { fields, ReferralKit } from './referral-test-kit';

/** Bad input on every endpoint: 400 naming each field, and nothing written. */
describe('referral input', () => {
  const kit = ReferralKit.forSuite();
  let clinic: TestOrganization;
  let pantry: TestOrganization;
  let referralId: string;

  const long = (n: number) => 'x'.repeat(n);
  const count = async (sql: string, values: unknown[], service: ServiceName = 'referral') => (await kit.sql(sql, values, service))[0].n as number;
  /** Everything this test's organizations caused in the referral database. */
  const footprint = async () => ({
    referrals: await count(`SELECT count(*)::int AS n FROM referral WHERE sender_organization_id = $1`, [clinic.id]),
    // Clients are registered with the consent service now: nothing there either.
    clients: await count(`SELECT count(*)::int AS n FROM client WHERE created_by_organization_id = $1`, [clinic.id], 'consent'),
    timeline: await count(`SELECT count(*)::int AS n FROM referral_timeline WHERE referral_id = $1`, [referralId]),
    events: await count(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'data'->>'senderOrganizationId' = $1`, [clinic.id]),
    keys: await count(`SELECT count(*)::int AS n FROM idempotency_key WHERE organization_id IN ($1, $2)`, [clinic.id, pantry.id]),
    version: (await kit.sql(`SELECT version FROM referral WHERE id = $1`, [referralId]))[0].version,
  });

  beforeAll(async () => {
    clinic = await kit.network.organization({ kind: 'health-system' });
    pantry = await kit.network.organization();
    referralId = (await kit.create(clinic, pantry)).id;
    await kit.drive(clinic, pantry, referralId, ['accepted']);
  });

  let before: Awaited<ReturnType<typeof footprint>>;
  beforeEach(async () => {
    before = await footprint();
  });
  afterEach(async () => {
    expect(await footprint()).toEqual(before);
  });

  const createCases: [string, (body: any) => any, string[]][] = [
    ['missing needs', ({ needs: _, ...rest }) => rest, ['needs']],
    ['needs of the wrong type', (b) => ({ ...b, needs: 'food-insecurity' }), ['needs']],
    ['an unknown need code', (b) => ({ ...b, needs: ['food-insecurity', 'hunger'] }), ['needs']],
    ['no needs at all', (b) => ({ ...b, needs: [] }), ['needs']],
    ['missing client', ({ client: _, ...rest }) => rest, ['client']],
    ['client fields missing or wrong', (b) => ({ ...b, client: { givenName: '', birthDate: '1979-02-30', interpreterNeeded: 'yes', email: 'nope' } }), [
      'client.givenName',
      'client.familyName',
      'client.birthDate',
      'client.email',
      'client.interpreterNeeded',
    ]],
    ['a receiving organization that is no UUID', (b) => ({ ...b, receivingOrganizationId: 'pantry' }), ['receivingOrganizationId']],
    ['oversize description and names', (b) => ({ ...b, description: long(4001), client: { ...b.client, familyName: long(101) } }), ['client.familyName', 'description']],
    ['an unknown urgency and an unknown property', (b) => ({ ...b, urgency: 'asap', priority: 1 }), ['urgency', 'priority']],
    ['a bad language tag', (b) => ({ ...b, client: { ...b.client, preferredLanguage: 'Spanish please' } }), ['client.preferredLanguage']],
    // The register's own rules: a flag with no cleared state may not be null, a demographic code must be one of the list.
    ['a null flag and an unknown race code', (b) => ({ ...b, client: { ...b.client, interpreterNeeded: null, race: ['martian'] } }), ['client.interpreterNeeded', 'client.race']],
  ];
  it.each(createCases)('POST /v1/referrals with %s → 400 naming the fields', async (_, change, expected) => {
    const res = await kit.post(clinic, '/v1/referrals', change(kit.referralBody(pantry))).expect(400);
    expect(res.body.code).toBe('request.validation-failed');
    expect(fields(res.body).sort()).toEqual([...expected].sort());
  });

  it('POST /v1/referrals to an organization the directory does not know → 400 naming receivingOrganizationId', async () => {
    const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry, { receivingOrganizationId: randomUUID() })).expect(400);
    expect(fields(res.body)).toEqual(['receivingOrganizationId']);
    const self = await kit.post(clinic, '/v1/referrals', kit.referralBody(clinic)).expect(400);
    expect(fields(self.body)).toEqual(['receivingOrganizationId']);
  });

  it('POST /v1/referrals to a suspended organization → 422', async () => {
    const closed = await kit.network.organization();
    await kit.network.suspend(closed.id);
    const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(closed)).expect(422);
    expect(res.body).toMatchObject({ code: 'referral.organization-not-active', receivingOrganizationId: closed.id });
  });

  it('a malformed Idempotency-Key → 400 naming it', async () => {
    const res = await kit.post(clinic, '/v1/referrals', kit.referralBody(pantry), long(300)).expect(400);
    expect(fields(res.body)).toEqual(['Idempotency-Key']);
  });

  const actionCases: [string, 'clinic' | 'pantry', string, object, string[]][] = [
    ['status without a version', 'pantry', 'status', { status: 'in-progress' }, ['version']],
    ['status with a version of the wrong type', 'pantry', 'status', { status: 'in-progress', version: '2' }, ['version']],
    ['status with an unknown status', 'pantry', 'status', { status: 'done', version: 2 }, ['status']],
    ['status with an unknown outcome and an oversize reason', 'pantry', 'status', { status: 'failed', reason: long(1001), outcome: 'gone', version: 2 }, ['reason', 'outcome']],
    ['forward without a reason', 'pantry', 'forward', { receivingOrganizationId: randomUUID(), version: 2 }, ['reason']],
    ['forward to an unknown organization', 'pantry', 'forward', { receivingOrganizationId: randomUUID(), reason: 'x', version: 2 }, ['receivingOrganizationId']],
    ['a note without text', 'pantry', 'notes', { visibility: 'shared' }, ['text']],
    ['an oversize note with an unknown visibility', 'pantry', 'notes', { text: long(4001), visibility: 'public' }, ['text', 'visibility']],
    ['a contact attempt by pigeon, at no time', 'pantry', 'contact-attempts', { channel: 'pigeon', result: 'reached', at: 'yesterday' }, ['channel', 'at']],
    ['a contact attempt in the future', 'pantry', 'contact-attempts', { channel: 'phone', result: 'reached', at: '2999-01-01T00:00:00Z' }, ['at']],
    ['a contact attempt with an unknown result', 'pantry', 'contact-attempts', { channel: 'sms', result: 'maybe', at: new Date().toISOString() }, ['result']],
    ['an exception note for an unknown standard', 'pantry', 'exceptions', { standard: 'speed', text: 'x' }, ['standard']],
    ['an exception note without text', 'clinic', 'exceptions', { standard: 'respond' }, ['text']],
    ['an outcome-known date that is no date', 'pantry', 'outcome-known', { knownAt: 'last week' }, ['knownAt']],
    ['an outcome-known date in the future', 'pantry', 'outcome-known', { knownAt: '2999-01-01T00:00:00Z' }, ['knownAt']],
  ];
  it.each(actionCases)('POST …/{id}/ with %s → 400 naming the fields', async (_, who, action, body, expected) => {
    const res = await kit.post(who === 'clinic' ? clinic : pantry, `/v1/referrals/${referralId}/${action}`, body).expect(400);
    expect(fields(res.body).sort()).toEqual([...expected].sort());
  });

  it.each([
    ['status=closed', ['status']],
    ['need=hunger', ['need']],
    ['direction=inbound&limit=0', ['direction', 'limit']],
    ['limit=101&overdue=maybe', ['limit', 'overdue']],
    ['createdFrom=monday&sort=name&order=up', ['createdFrom', 'sort', 'order']],
    ['cursor=not-a-cursor', ['cursor']],
  ])('GET /v1/referrals?%s → 400 naming the fields', async (query, expected) => {
    const res = await kit.get(clinic, `/v1/referrals?${query}`).expect(400);
    expect(fields(res.body).sort()).toEqual([...expected].sort());
  });

  it('an id that is no UUID → 400 naming id, on reads and writes', async () => {
    expect(fields((await kit.get(clinic, '/v1/referrals/R-123').expect(400)).body)).toEqual(['id']);
    expect(fields((await kit.post(clinic, '/v1/referrals/R-123/notes', { text: 'x', visibility: 'shared' }).expect(400)).body)).toEqual(['id']);
  });
});
