import { REFERRAL_STATUSES, ReferralStatus } from '@nwd/contracts';
import { pollUntil, TestOrganization } from '@nwd/testing';
import { IdempotencyKeySweep } from '../src/idempotency/idempotency-key.sweep';
import { REFERRAL_TRANSITIONS, ReferralLifecycle } from '../src/loop/referral-lifecycle';
import { fields, needs, PATH_TO, ReferralKit } from './referral-test-kit';

describe('the referral loop', () => {
  const kit = ReferralKit.forSuite();

  it('an organization suspended after it received referrals stops receiving them within seconds, not after the look-up is forgotten', async () => {
    const [clinic, closing] = await kit.pair();
    await kit.post(clinic, '/v1/referrals', kit.referralBody(closing)).expect(201);
    await kit.network.suspend(closing.id);
    const refused = await pollUntil(
      () => kit.post(clinic, '/v1/referrals', kit.referralBody(closing)),
      (res) => res.status !== 201,
      { timeoutMs: 10_000, what: 'the suspension to reach the referral service' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'referral.organization-not-active', receivingOrganizationId: closing.id });
  });

  it('runs from requested to completed with an outcome, seen alike by both organizations, with its events in order on the stream', async () => {
    const [clinic, pantry] = await kit.pair();
    const created = await kit.create(clinic, pantry);
    expect(created).toMatchObject({ status: 'requested', version: 1, needs: ['food-insecurity', 'housing-instability'] });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // UUIDv7
    expect(created.reference).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(created.dueDates.respond).toMatchObject({ state: 'pending', metAt: null });

    const accepted = await kit.status(pantry, created.id, { status: 'accepted', version: 1 }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', version: 2 });
    await kit.post(pantry, `/v1/referrals/${created.id}/notes`, { text: 'Intake booked for Tuesday', visibility: 'shared' }).expect(201);
    await kit.post(pantry, `/v1/referrals/${created.id}/notes`, { text: 'Client seemed hesitant', visibility: 'internal' }).expect(201);
    await kit.status(pantry, created.id, { status: 'in-progress', version: 3 }).expect(200);
    const completed = await kit.status(pantry, created.id, { status: 'completed', outcome: 'service-provided', version: 4 }).expect(200);
    expect(completed.body).toMatchObject({ status: 'completed', outcome: 'service-provided', version: 5 });

    const bySender = await kit.read(clinic, created.id);
    const byReceiver = await kit.read(pantry, created.id);
    for (const view of [bySender, byReceiver]) {
      expect(view).toMatchObject({ status: 'completed', outcome: 'service-provided', version: 5, senderOrganizationId: clinic.id, receivingOrganizationId: pantry.id });
      expect(view.client).toMatchObject({ givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', interpreterNeeded: true });
      expect(view.dueDates.respond.state).toBe('met');
      expect(view.dueDates['first-note'].state).toBe('met');
    }
    const kinds = (view: any) => view.timeline.map((e: any) => `${e.kind}:${e.toStatus ?? e.visibility}`);
    expect(kinds(bySender)).toEqual(['status-changed:requested', 'status-changed:accepted', 'note:shared', 'status-changed:in-progress', 'status-changed:completed']);
    // The internal note is the receiver's alone.
    expect(kinds(byReceiver)).toEqual([
      'status-changed:requested',
      'status-changed:accepted',
      'note:shared',
      'note:internal',
      'status-changed:in-progress',
      'status-changed:completed',
    ]);
    expect(bySender.timeline[1]).toMatchObject({ authorOrganizationId: pantry.id, authorClientId: pantry.clientId, recordedAt: expect.any(String) });

    const events = await kit.events([created.id], 5);
    expect(events.map((e) => [e.type, e.data.version, e.data.status])).toEqual([
      ['referral.v1.requested', 1, 'requested'],
      ['referral.v1.accepted', 2, 'accepted'],
      ['referral.v1.note-added', 3, 'accepted'],
      ['referral.v1.in-progress', 4, 'in-progress'],
      ['referral.v1.completed', 5, 'completed'],
    ]);
    for (const event of events) {
      expect(event.data).toMatchObject({ referralId: created.id, senderOrganizationId: clinic.id, receivingOrganizationId: pantry.id, needs: ['food-insecurity', 'housing-instability'] });
      // Whole values only: fragments such as "555" or "1979" turn up in ids and timestamps by chance.
      expect(JSON.stringify(event)).not.toMatch(/Rosa|Delgado|1979-05-14|555 010 2000|5550102000|groceries|Intake|hesitant/);
    }
    expect(events[4]!.data.outcome).toBe('service-provided');
  });

  describe('transitions', () => {
    let clinic: TestOrganization;
    let pantry: TestOrganization;
    const at: Partial<Record<ReferralStatus, { id: string; version: number }>> = {};

    // One referral at each status, shared by the tests below: each is refused, and checks its referral is as it was.
    beforeAll(async () => {
      [clinic, pantry] = await kit.pair();
      for (const status of REFERRAL_STATUSES) {
        const { id } = await kit.create(clinic, pantry);
        const body = PATH_TO[status].length ? await kit.drive(clinic, pantry, id, PATH_TO[status]) : { version: 1 };
        at[status] = { id, version: body.version };
      }
    });

    const illegal = REFERRAL_STATUSES.flatMap((from) => REFERRAL_STATUSES.filter((to) => !ReferralLifecycle.isAllowed(from, to)).map((to) => [from, to] as const));
    it.each(illegal)('%s → %s is refused with 409 naming the allowed transitions', async (from, to) => {
      const { id, version } = at[from]!;
      const actor = ReferralLifecycle.actorOf(to) === 'sender' ? clinic : pantry;
      const res = await kit.status(actor, id, { status: to, version, ...needs(to) }).expect(409);
      expect(res.body).toMatchObject({ code: 'referral.illegal-transition', from, to, allowed: [...REFERRAL_TRANSITIONS[from]] });
      expect(await kit.read(clinic, id)).toMatchObject({ status: from, version });
    });

    const legal = REFERRAL_STATUSES.flatMap((from) => REFERRAL_TRANSITIONS[from].map((to) => [from, to] as const));
    it.each(legal)('%s → %s by the wrong organization is refused with 403', async (from, to) => {
      const { id, version } = at[from]!;
      const wrong = ReferralLifecycle.actorOf(to) === 'sender' ? pantry : clinic;
      const res = await kit.status(wrong, id, { status: to, version, ...needs(to) }).expect(403);
      expect(res.body.code).toBe('referral.wrong-party');
      expect(await kit.read(clinic, id)).toMatchObject({ status: from, version });
    });
  });

  it('hides a referral from a third organization (404, empty lists) but not from a network admin', async () => {
    const [clinic, pantry] = await kit.pair();
    const stranger = await kit.network.organization({ kind: 'cbo' });
    const { id } = await kit.create(clinic, pantry);
    await kit.get(stranger, `/v1/referrals/${id}`).expect(404);
    for (const query of ['', '?direction=sent', '?direction=received', '?overdue=false']) {
      expect((await kit.get(stranger, `/v1/referrals${query}`).expect(200)).body).toEqual({ data: [], nextCursor: null });
    }
    const res = await kit.status(stranger, id, { status: 'cancelled', reason: 'x', version: 1 }).expect(404);
    expect(res.body.code).toBe('referral.not-found');
    await kit.post(stranger, `/v1/referrals/${id}/notes`, { text: 'hello', visibility: 'shared' }).expect(404);
    await kit.post(stranger, `/v1/referrals/${id}/contact-attempts`, { channel: 'phone', result: 'no-answer', at: new Date().toISOString() }).expect(404);

    expect((await kit.get(kit.network.adminToken, `/v1/referrals/${id}`).expect(200)).body.id).toBe(id);
    const listed = await kit.get(kit.network.adminToken, `/v1/referrals?limit=100`).expect(200);
    expect(listed.body.data.map((r: any) => r.id)).toContain(id);
    // Seeing is not acting: the admin is no party to the loop.
    await kit.status(kit.network.adminToken, id, { status: 'accepted', version: 1 }).expect(403);
  });

  it('lists sent and received referrals with filters, sorting and cursor pagination', async () => {
    const [clinic, pantry] = await kit.pair();
    const shelter = await kit.network.organization({ kind: 'cbo' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await kit.create(clinic, i < 4 ? pantry : shelter, i === 2 ? { needs: ['transportation-insecurity'] } : {})).id);
    await kit.drive(clinic, pantry, ids[0]!, ['accepted']);

    const sent = await kit.get(clinic, '/v1/referrals?direction=sent').expect(200);
    expect(sent.body.data.map((r: any) => r.id)).toEqual([...ids].reverse());
    expect(sent.body.data[0]).not.toHaveProperty('client');
    const received = await kit.get(pantry, '/v1/referrals?direction=received&sort=created&order=asc').expect(200);
    expect(received.body.data.map((r: any) => r.id)).toEqual(ids.slice(0, 4));
    expect((await kit.get(pantry, '/v1/referrals?direction=sent').expect(200)).body.data).toEqual([]);
    expect((await kit.get(pantry, '/v1/referrals?status=accepted').expect(200)).body.data.map((r: any) => r.id)).toEqual([ids[0]]);
    expect((await kit.get(clinic, '/v1/referrals?need=transportation-insecurity').expect(200)).body.data.map((r: any) => r.id)).toEqual([ids[2]]);
    const byUpdate = await kit.get(clinic, '/v1/referrals?sort=updated&order=desc&limit=1').expect(200);
    expect(byUpdate.body.data.map((r: any) => r.id)).toEqual([ids[0]]);

    const pages: string[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: any = await kit.get(clinic, `/v1/referrals?direction=sent&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      pages.push(res.body.data.map((r: any) => r.id));
      cursor = res.body.nextCursor;
    }
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);

    const first = await kit.read(clinic, ids[0]!);
    const window = await kit.get(clinic, `/v1/referrals?createdFrom=${encodeURIComponent(first.createdAt)}&createdTo=${encodeURIComponent(first.createdAt)}`).expect(200);
    expect(window.body.data).toEqual([]);
    const from = await kit.get(clinic, `/v1/referrals?order=asc&createdFrom=${encodeURIComponent(first.createdAt)}`).expect(200);
    expect(from.body.data[0].id).toBe(ids[0]);
  });

  describe('forwarding ("no wrong door")', () => {
    it('rejects the original with reason forwarded, links it both ways to a new request, and the original sender follows the chain to its end', async () => {
      const [clinic, pantry] = await kit.pair();
      const shelter = await kit.network.organization({ kind: 'cbo' });
      const legal = await kit.network.organization({ kind: 'cbo' });
      const original = await kit.create(clinic, pantry, { needs: ['housing-instability'] });
      // A forward carries the client on only under a consent for each new receiver.
      await kit.grant(clinic, original.clientId, [shelter, legal]);

      const res = await kit.post(pantry, `/v1/referrals/${original.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'We do not do housing', version: 1 }).expect(201);
      const second = res.body;
      expect(second).toMatchObject({ status: 'requested', version: 1, senderOrganizationId: pantry.id, receivingOrganizationId: shelter.id, needs: ['housing-instability'], forwardedFromId: original.id });
      const after = await kit.read(clinic, original.id);
      expect(after).toMatchObject({ status: 'rejected', statusReason: 'forwarded', forwardedToId: second.id, version: 2 });
      expect(after.timeline[1]).toMatchObject({ kind: 'forwarded', reason: 'We do not do housing', relatedReferralId: second.id });

      // The new receiver sees the same client, and where the referral came from.
      const atShelter = await kit.read(shelter, second.id);
      expect(atShelter.client).toEqual(after.client);
      await kit.get(shelter, `/v1/referrals/${original.id}`).expect(200);

      const third = (await kit.post(shelter, `/v1/referrals/${second.id}/forward`, { receivingOrganizationId: legal.id, reason: 'Eviction: legal aid first', version: 1 }).expect(201)).body;
      const chain = (await kit.read(clinic, original.id)).chain;
      expect(chain.map((l: any) => [l.id, l.status, l.receivingOrganizationId])).toEqual([
        [original.id, 'rejected', pantry.id],
        [second.id, 'rejected', shelter.id],
        [third.id, 'requested', legal.id],
      ]);
      expect((await kit.read(clinic, third.id)).forwardedFromId).toBe(second.id);
      // The original sender can follow, but the new link is between the forwarder and the new receiver.
      await kit.status(clinic, third.id, { status: 'cancelled', reason: 'no', version: 1 }).expect(403);
      await kit.status(legal, third.id, { status: 'accepted', version: 1 }).expect(200);
      expect((await kit.get(clinic, '/v1/referrals').expect(200)).body.data.map((r: any) => r.id).sort()).toEqual([original.id, second.id, third.id].sort());

      const events = await kit.events([original.id, second.id, third.id], 6);
      expect(events.map((e) => [e.type, e.data.referralId])).toEqual([
        ['referral.v1.requested', original.id],
        ['referral.v1.forwarded', original.id],
        ['referral.v1.requested', second.id],
        ['referral.v1.forwarded', second.id],
        ['referral.v1.requested', third.id],
        ['referral.v1.accepted', third.id],
      ]);
      expect(events[1]!.data).toMatchObject({ status: 'rejected', forwardedToReferralId: second.id, forwardedToOrganizationId: shelter.id });
      expect(events[2]!.data).toMatchObject({ forwardedFromReferralId: original.id, senderOrganizationId: pantry.id });
    });

    it('is the receiver’s response to a request: not the sender’s (403), not after accepting (409)', async () => {
      const [clinic, pantry] = await kit.pair();
      const shelter = await kit.network.organization({ kind: 'cbo' });
      const { id } = await kit.create(clinic, pantry);
      await kit.post(clinic, `/v1/referrals/${id}/forward`, { receivingOrganizationId: shelter.id, reason: 'x', version: 1 }).expect(403);
      await kit.drive(clinic, pantry, id, ['accepted']);
      const res = await kit.post(pantry, `/v1/referrals/${id}/forward`, { receivingOrganizationId: shelter.id, reason: 'x', version: 2 }).expect(409);
      expect(res.body).toMatchObject({ code: 'referral.illegal-transition', allowed: REFERRAL_TRANSITIONS.accepted });
    });
  });

  describe('reason and outcome rules', () => {
    it.each([
      ['rejected', [], { status: 'rejected' }, ['reason']],
      ['cancelled', [], { status: 'cancelled', reason: '   ' }, ['reason']],
      ['on-hold', ['accepted'], { status: 'on-hold' }, ['reason']],
      ['failed', ['accepted'], { status: 'failed' }, ['reason', 'outcome']],
      ['completed', ['accepted'], { status: 'completed' }, ['outcome']],
      ['completed with other', ['accepted'], { status: 'completed', outcome: 'other' }, ['outcomeText']],
      ['accepted with an outcome', [], { status: 'accepted', outcome: 'service-provided' }, ['outcome']],
    ] as const)('%s: 400 naming %s, nothing changed', async (_, path, body, expected) => {
      const [clinic, pantry] = await kit.pair();
      const { id } = await kit.create(clinic, pantry);
      const before = path.length ? await kit.drive(clinic, pantry, id, [...path]) : { version: 1 };
      const actor = body.status === 'cancelled' ? clinic : pantry;
      const res = await kit.status(actor, id, { ...body, version: before.version }).expect(400);
      expect(fields(res.body)).toEqual(expected);
      expect(await kit.read(clinic, id)).toMatchObject({ version: before.version });
    });

    it('records the reason and the outcome, so why a referral ended is always known', async () => {
      const [clinic, pantry] = await kit.pair();
      const { id } = await kit.create(clinic, pantry);
      await kit.drive(clinic, pantry, id, ['accepted']);
      await kit.status(pantry, id, { status: 'failed', reason: 'Moved out of the county', outcome: 'other', outcomeText: 'Relocated to Ohio', version: 2 }).expect(200);
      const view = await kit.read(clinic, id);
      expect(view).toMatchObject({ status: 'failed', statusReason: 'Moved out of the county', outcome: 'other', outcomeText: 'Relocated to Ohio' });
      expect(view.timeline[2]).toMatchObject({ kind: 'status-changed', toStatus: 'failed', reason: 'Moved out of the county', outcome: 'other', text: 'Relocated to Ohio' });
    });
  });

  describe('closing as client-unreachable', () => {
    async function acceptedInThePast(createdAt: string) {
      const [clinic, pantry] = await kit.pair();
      const { id } = await kit.at(createdAt, () => kit.create(clinic, pantry));
      await kit.at(createdAt, () => kit.drive(clinic, pantry, id, ['accepted']));
      return { clinic, pantry, id };
    }
    const attempt = (pantry: TestOrganization, id: string, at: string, result = 'no-answer') =>
      kit.post(pantry, `/v1/referrals/${id}/contact-attempts`, { channel: 'phone', result, at }).expect(201);

    it('needs 3 attempts over 10 business days — Columbus Day does not count — else 422', async () => {
      const { pantry, id } = await acceptedInThePast('2025-10-01T09:00:00-04:00');
      await attempt(pantry, id, '2025-10-01T10:00:00-04:00');
      await attempt(pantry, id, '2025-10-08T10:00:00-04:00');
      const unreachable = { status: 'completed', outcome: 'client-unreachable' };
      let res = await kit.status(pantry, id, { ...unreachable, version: 4 }).expect(422);
      expect(res.body).toMatchObject({ code: 'referral.unreachable-closure-unmet', attempts: 2 });
      // Thursday 1 → Wednesday 15 October 2025 is 10 weekdays, one of them Columbus Day: 9 business days.
      await attempt(pantry, id, '2025-10-15T10:00:00-04:00');
      res = await kit.status(pantry, id, { ...unreachable, version: 5 }).expect(422);
      expect(res.body).toMatchObject({ attempts: 3, businessDaysSpanned: 9 });
      await attempt(pantry, id, '2025-10-16T16:00:00-04:00', 'left-message');
      res = await kit.status(pantry, id, { ...unreachable, version: 6 }).expect(200);
      expect(res.body).toMatchObject({ status: 'completed', outcome: 'client-unreachable' });
      const timeline = (await kit.read(pantry, id)).timeline.filter((e: any) => e.kind === 'contact-attempt');
      expect(timeline.map((e: any) => [e.channel, e.result, e.occurredAt])).toEqual([
        ['phone', 'no-answer', '2025-10-01T14:00:00.000Z'],
        ['phone', 'no-answer', '2025-10-08T14:00:00.000Z'],
        ['phone', 'no-answer', '2025-10-15T14:00:00.000Z'],
        ['phone', 'left-message', '2025-10-16T20:00:00.000Z'],
      ]);
      const events = await kit.events([id], 7);
      expect(events.filter((e) => e.type === 'referral.v1.contact-attempted').map((e) => e.data.version)).toEqual([3, 4, 5, 6]);
    });

    it('accepts fewer attempts when an exception note explains the circumstances', async () => {
      const { clinic, pantry, id } = await acceptedInThePast('2025-10-01T09:00:00-04:00');
      await attempt(pantry, id, '2025-10-02T10:00:00-04:00', 'wrong-number');
      await kit.status(pantry, id, { status: 'failed', reason: 'No working number', outcome: 'client-unreachable', version: 3 }).expect(422);
      await kit.post(pantry, `/v1/referrals/${id}/exceptions`, { standard: 'unreachable-closure', text: 'Only number on file is disconnected; referrer confirmed no other contact' }).expect(201);
      await kit.status(pantry, id, { status: 'failed', reason: 'No working number', outcome: 'client-unreachable', version: 4 }).expect(200);
      const view = await kit.read(clinic, id);
      expect(view.timeline.find((e: any) => e.kind === 'exception')).toMatchObject({ standard: 'unreachable-closure', authorOrganizationId: pantry.id, authorClientId: pantry.clientId });
    });
  });

  describe('concurrency and idempotency', () => {
    it('refuses a stale version with 409', async () => {
      const [clinic, pantry] = await kit.pair();
      const { id } = await kit.create(clinic, pantry);
      await kit.post(clinic, `/v1/referrals/${id}/notes`, { text: 'Client prefers mornings', visibility: 'shared' }).expect(201);
      const res = await kit.status(pantry, id, { status: 'accepted', version: 1 }).expect(409);
      expect(res.body).toMatchObject({ code: 'referral.version-conflict', currentVersion: 2 });
    });

    it('lets exactly one of a concurrent accept and cancel win', async () => {
      const [clinic, pantry] = await kit.pair();
      for (let round = 0; round < 6; round++) {
        const { id } = await kit.create(clinic, pantry);
        const [accept, cancel] = await Promise.all([
          kit.status(pantry, id, { status: 'accepted', version: 1 }),
          kit.status(clinic, id, { status: 'cancelled', reason: 'Found another provider', version: 1 }),
        ]);
        expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
        const winner = accept.status === 200 ? 'accepted' : 'cancelled';
        expect(await kit.read(clinic, id)).toMatchObject({ status: winner, version: 2 });
        const rows = await kit.sql(`SELECT subject FROM outbox WHERE envelope->'data'->>'referralId' = $1 ORDER BY seq`, [id]);
        expect(rows.map((r) => r.subject)).toEqual(['referral.v1.requested', `referral.v1.${winner}`]);
      }
    });

    it('answers a repeated create with the same Idempotency-Key and body with the same response, once written', async () => {
      const [clinic, pantry] = await kit.pair();
      const body = kit.referralBody(pantry);
      const first = await kit.post(clinic, '/v1/referrals', body, 'create-0001').expect(201);
      const again = await kit.post(clinic, '/v1/referrals', { ...body, needs: [...body.needs] }, 'create-0001').expect(201);
      expect(again.body).toEqual(first.body);
      const concurrent = await Promise.all([1, 2, 3].map(() => kit.post(clinic, '/v1/referrals', body, 'create-0002')));
      expect(concurrent.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(concurrent.map((r) => r.body.id)).size).toBe(1);
      const rows = await kit.sql(`SELECT count(*)::int AS n FROM referral WHERE sender_organization_id = $1`, [clinic.id]);
      expect(rows[0].n).toBe(2);

      const reused = await kit.post(clinic, '/v1/referrals', { ...body, needs: ['stress'] }, 'create-0001').expect(422);
      expect(reused.body.code).toBe('idempotency.key-reused');
      // Keys belong to an organization: another one may use the same key for its own request.
      await kit.post(pantry, '/v1/referrals', kit.referralBody(clinic), 'create-0001').expect(201);
    });

    it('honours a key for its retention (24 h by default), then frees it; the sweep deletes expired keys only', async () => {
      const [clinic, pantry] = await kit.pair();
      const body = kit.referralBody(pantry);
      const monday = '2026-03-02T15:00:00Z';
      const first = await kit.at(monday, () => kit.post(clinic, '/v1/referrals', body, 'retained-1').expect(201));
      const within = await kit.at('2026-03-03T14:59:00Z', () => kit.post(clinic, '/v1/referrals', body, 'retained-1').expect(201));
      expect(within.body.id).toBe(first.body.id);
      // A day and a minute later the key is free: the same request is a new referral, and the key now promises it.
      const after = await kit.at('2026-03-03T15:01:00Z', () => kit.post(clinic, '/v1/referrals', body, 'retained-1').expect(201));
      expect(after.body.id).not.toBe(first.body.id);
      await kit.at('2026-03-03T15:02:00Z', () => kit.post(clinic, '/v1/referrals', { ...body, needs: ['stress'] }, 'retained-1').expect(422));
      await kit.at(monday, () => kit.post(clinic, '/v1/referrals', body, 'expires-unused').expect(201));

      const keys = async () =>
        (await kit.sql(`SELECT key FROM idempotency_key WHERE organization_id = $1 ORDER BY key`, [clinic.id])).map((row) => row.key);
      expect(await keys()).toEqual(['expires-unused', 'retained-1']);
      const swept = await kit.network.service('referral').app.get(IdempotencyKeySweep).run(new Date('2026-03-03T15:30:00Z'));
      expect(swept).toBeGreaterThanOrEqual(1);
      expect(await keys()).toEqual(['retained-1']);
    });

    it('replays a status change with the same key instead of refusing it as stale', async () => {
      const [clinic, pantry] = await kit.pair();
      const { id } = await kit.create(clinic, pantry);
      const first = await kit.status(pantry, id, { status: 'accepted', version: 1 }, 'accept-1').expect(200);
      const again = await kit.status(pantry, id, { status: 'accepted', version: 1 }, 'accept-1').expect(200);
      expect(again.body).toEqual(first.body);
      await kit.status(pantry, id, { status: 'accepted', version: 1 }).expect(409);
      const rows = await kit.sql(`SELECT count(*)::int AS n FROM referral_timeline WHERE referral_id = $1`, [id]);
      expect(rows[0].n).toBe(2);
    });
  });
});
