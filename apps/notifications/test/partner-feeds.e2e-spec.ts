import { DeliverPolicy } from 'nats';
import request from 'supertest';
import { PartnerFeed } from '@nwd/contracts';
import { pollUntil, TestOrganization } from '@nwd/testing';
import { ReferralKit } from '../../referral/test/referral-test-kit';
import { partnerCopyId } from '../src/partner-feeds/partner-copy-id';
import { partnerFeedsAsyncApi } from '../src/asyncapi/asyncapi-document';
import { FeedMessage, PartnerFeedReader } from './partner-feed-reader';
import { NotificationsInstances } from './notifications-instance';

jest.setTimeout(180_000);

describe('partner feeds (stream PARTNER)', () => {
  const kit = ReferralKit.forSuite();
  let notifications: NotificationsInstances;
  const readers: PartnerFeedReader[] = [];

  beforeAll(async () => {
    notifications = await NotificationsInstances.start(kit.network);
  });
  afterAll(async () => {
    for (const reader of readers) await reader.close();
    await notifications?.close();
  });

  async function feedOf(org: TestOrganization, options: Parameters<typeof PartnerFeedReader.open>[2] = {}): Promise<PartnerFeedReader> {
    const reader = await PartnerFeedReader.open(kit.network.natsPrefix, org.id, options);
    readers.push(reader);
    return reader;
  }

  /** The referral events as the referral service published them, in stream order. */
  const referralEvents = (ids: string[], expected: number) => kit.events(ids, expected);

  function summary(messages: FeedMessage[]) {
    return messages.map((m) => [m.subject, m.envelope.data.referralId, m.envelope.data.version]);
  }

  it('serves the AsyncAPI document of the feeds, with this network’s subjects, without a token', async () => {
    const res = await request(notifications.service.server).get('/docs/asyncapi.json').expect(200);
    const { config } = notifications.service;
    expect(res.body).toEqual(JSON.parse(JSON.stringify(partnerFeedsAsyncApi({ natsUrl: config.NATS_URL, prefix: config.NWD_NATS_PREFIX, version: '1.0.0' }))));
    expect(res.body.channels['referral.v1.accepted'].address).toBe(`${kit.network.natsPrefix}.partner.{organizationId}.referral.v1.accepted`);
  });

  it('gives the receiver and the sender each their copy, in order, with a deterministic id; a third organization gets nothing', async () => {
    const [clinic, pantry] = await kit.pair();
    const bystander = await kit.network.organization({ kind: 'cbo' });
    const [clinicFeed, pantryFeed, bystanderFeed] = [await feedOf(clinic), await feedOf(pantry), await feedOf(bystander)];

    const referral = await kit.create(clinic, pantry);
    await kit.drive(clinic, pantry, referral.id, ['accepted', 'in-progress', 'completed']);
    const events = await referralEvents([referral.id], 4);
    expect(events.map((e) => e.type)).toEqual(['referral.v1.requested', 'referral.v1.accepted', 'referral.v1.in-progress', 'referral.v1.completed']);

    for (const [org, feed] of [[pantry, pantryFeed], [clinic, clinicFeed]] as const) {
      const copies = await feed.collect(events.length);
      expect(summary(copies)).toEqual(events.map((e) => [PartnerFeed.subject(org.id, e.type), referral.id, e.data.version]));
      copies.forEach((copy, i) => {
        const original = events[i]!;
        // The payload is the referral event's: ids and codes only.
        expect(copy.envelope.data).toEqual(original.data);
        expect(copy.envelope.id).toBe(partnerCopyId(original.id, org.id));
        expect(copy.msgId).toBe(copy.envelope.id);
        expect(copy.envelope.type).toBe(copy.subject);
        expect(copy.envelope.source).toBe('notifications');
      });
      expect(await feed.pending()).toBe(0);
    }
    expect(await bystanderFeed.next(10, 1000)).toEqual([]);
    expect(await bystanderFeed.pending()).toBe(0);
  });

  it('follows a forward chain: the original sender sees the loop close, the new receiver hears of the forward', async () => {
    const [clinic, pantry] = await kit.pair();
    const shelter = await kit.network.organization({ kind: 'cbo' });
    const [clinicFeed, pantryFeed, shelterFeed] = [await feedOf(clinic), await feedOf(pantry), await feedOf(shelter)];

    const original = await kit.create(clinic, pantry, { needs: ['housing-instability'] });
    await kit.grant(clinic, original.clientId, [shelter]);
    const forwarded = (await kit.post(pantry, `/v1/referrals/${original.id}/forward`, { receivingOrganizationId: shelter.id, reason: 'We do not do housing', version: 1 }).expect(201)).body;
    await kit.drive(pantry, shelter, forwarded.id, ['accepted', 'completed']);
    await referralEvents([original.id, forwarded.id], 5);

    const loop = [
      ['referral.v1.requested', original.id, 1],
      ['referral.v1.forwarded', original.id, 2],
      ['referral.v1.requested', forwarded.id, 1],
      ['referral.v1.accepted', forwarded.id, 2],
      ['referral.v1.completed', forwarded.id, 3],
    ] as const;
    const feedSummary = (org: TestOrganization, messages: FeedMessage[]) =>
      summary(messages).map(([subject, id, version]) => [String(subject).replace(`partner.${org.id}.`, ''), id, version]);

    expect(feedSummary(clinic, await clinicFeed.collect(5))).toEqual(loop);
    expect(feedSummary(pantry, await pantryFeed.collect(5))).toEqual(loop);
    // The shelter was not party to the original's request, only to its forward and what followed.
    expect(feedSummary(shelter, await shelterFeed.collect(4))).toEqual(loop.slice(1));
    for (const feed of [clinicFeed, pantryFeed, shelterFeed]) expect(await feed.next(10, 1000)).toEqual([]);
  });

  it('loses and duplicates nothing across restarts of the notifications service, and keeps each referral in order', async () => {
    const [clinic, pantry] = await kit.pair();
    const pantryFeed = await feedOf(pantry);
    const ids: string[] = [];

    // Events written while notifications is down wait on REFERRAL for its durable consumer.
    await notifications.stop();
    for (let i = 0; i < 4; i++) ids.push((await kit.create(clinic, pantry)).id);
    for (const id of ids) await kit.drive(clinic, pantry, id, ['accepted']);
    await notifications.restart();

    // And a restart while it is fanning out: stopped as soon as the first copies of the new batch arrive.
    const burst: string[] = [];
    for (let i = 0; i < 6; i++) burst.push((await kit.create(clinic, pantry)).id);
    const writing = Promise.all(burst.map((id) => kit.drive(clinic, pantry, id, ['accepted', 'in-progress'])));
    const seen: FeedMessage[] = await pantryFeed.collect(ids.length * 2 + 1);
    await notifications.restart();
    await writing;
    ids.push(...burst);

    const events = await referralEvents(ids, 4 * 2 + 6 * 3);
    seen.push(...(await pantryFeed.collect(events.length - seen.length)));
    await pollUntil(() => pantryFeed.next(50, 1000), (more) => more.length === 0, { what: 'no extra copies' }).then((more) => seen.push(...more));

    expect(seen).toHaveLength(events.length);
    expect(new Set(seen.map((m) => m.envelope.id)).size).toBe(events.length);
    expect(new Set(seen.map((m) => m.envelope.id))).toEqual(new Set(events.map((e) => partnerCopyId(e.id, pantry.id))));
    for (const id of ids) {
      // In order on REFERRAL (the referral service's relay), then in the same order in the feed.
      expect(events.filter((e) => e.data.referralId === id).map((e) => e.data.version)).toEqual(ids.indexOf(id) < 4 ? [1, 2] : [1, 2, 3]);
      const versions = seen.filter((m) => m.envelope.data.referralId === id).map((m) => m.envelope.data.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
    }
  });

  it('replays a feed from a sequence or from a point in time, on the partner’s other durable slots', async () => {
    const [clinic, pantry] = await kit.pair();
    const live = await feedOf(pantry);
    const first = await kit.create(clinic, pantry);
    await kit.drive(clinic, pantry, first.id, ['accepted']);
    const before = await live.collect(2);
    const second = await kit.create(clinic, pantry);
    await kit.drive(clinic, pantry, second.id, ['accepted', 'in-progress']);
    const after = await live.collect(3);
    const all = [...before, ...after];

    const fromSequence = await feedOf(pantry, { slot: 2, start: { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: all[1]!.seq } });
    expect((await fromSequence.collect(4)).map((m) => m.envelope.id)).toEqual(all.slice(1).map((m) => m.envelope.id));

    const fromTime = await feedOf(pantry, { slot: 3, start: { deliver_policy: DeliverPolicy.StartTime, opt_start_time: after[0]!.storedAt.toISOString() } });
    const replayed = await fromTime.collect(3);
    expect(replayed.map((m) => m.envelope.data.referralId)).toEqual([second.id, second.id, second.id]);
    expect(replayed.map((m) => m.envelope.id)).toEqual(after.map((m) => m.envelope.id));
    expect(await fromTime.next(10, 1000)).toEqual([]);
  });
});
