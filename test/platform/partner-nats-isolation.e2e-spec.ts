import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, ErrorCode, JsMsg, NatsConnection, NatsError } from 'nats';
import { PARTNER_STREAM, PartnerFeed } from '@nwd/contracts';
import { IssuedPartnerCredentials, NatsNames, partnerInbox, PartnerIssuer } from '@nwd/messaging';
import { AuthorizedNatsServer, pollUntil, testNatsPrefix } from '@nwd/testing';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Partner organizations on a nats-server running the network's authorization, with credentials
 * as the notifications service issues them (`PartnerIssuer`): organization A can run and read
 * only its own consumers on its own feed; nothing it can send reads, reveals or changes B's.
 */
describe('Partner NATS credentials: one organization’s feed is nobody else’s', () => {
  const prefix = testNatsPrefix();
  const names = new NatsNames(prefix);
  const stream = names.stream(PARTNER_STREAM.name);
  const A = randomUUID();
  const B = randomUUID();
  const durable = (org: string, slot = 1) => names.durable(PartnerFeed.durable(org, slot));
  const feed = (org: string) => names.subject(PartnerFeed.filter(org));
  const subject = (org: string, type = 'referral.v1.requested') => names.subject(PartnerFeed.subject(org, type));

  let nats: AuthorizedNatsServer;
  let issuer: PartnerIssuer;
  let publisher: NatsConnection;
  let a: NatsConnection;
  let b: NatsConnection;
  const open: NatsConnection[] = [];
  /** What each feed holds: the stream sequences of its messages, in order. */
  const published: Record<string, number[]> = {};

  async function connectPartner(org: string, creds: IssuedPartnerCredentials, options = {}): Promise<NatsConnection> {
    const nc = await nats.connectWith(creds.creds, { inboxPrefix: partnerInbox(org, prefix), ...options });
    open.push(nc);
    return nc;
  }

  async function publish(org: string, body: string, type?: string): Promise<number> {
    // Two messages never share a millisecond, so a replay from one's time (ms precision) starts at it.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ack = await publisher.jetstream().publish(subject(org, type), encoder.encode(body));
    (published[org] ??= []).push(ack.seq);
    return ack.seq;
  }

  beforeAll(async () => {
    nats = await AuthorizedNatsServer.start();
    issuer = await nats.partnerIssuer();
    // The feeds' writer (the notifications service, here a test user with just these rights).
    publisher = await nats.connectWithPermissions(
      'feed-publisher',
      {
        pub: { allow: ['$JS.API.INFO', `$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.INFO.${stream}`, names.subject('partner.>')] },
        sub: { allow: ['_INBOX.feed-publisher.>'] },
      },
      { inboxPrefix: '_INBOX.feed-publisher' },
    );
    open.push(publisher);
    await (await publisher.jetstreamManager()).streams.add({ name: stream, subjects: [names.subject(PARTNER_STREAM.subjects[0]!)] });
    for (let i = 1; i <= 3; i++) {
      await publish(A, `a${i}`);
      await publish(B, `b${i}`, 'referral.v1.accepted');
    }
    a = await connectPartner(A, await issuer.issue(A, prefix));
    b = await connectPartner(B, await issuer.issue(B, prefix));
    // B's own consumer exists, so A's attempts at it have something to find.
    await (await b.jetstreamManager({ checkAPI: false })).consumers.add(stream, { durable_name: durable(B), filter_subject: feed(B), ack_policy: AckPolicy.Explicit });
  }, 60_000);

  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await nats?.dispose();
  });

  /** Sends a JetStream API request (or any publish) as A: 'refused' when the server's permissions refuse it, else the reply. */
  async function send(subjectSent: string, body: unknown): Promise<'refused' | { error?: { err_code: number; description: string } }> {
    try {
      const reply = await a.request(subjectSent, body === undefined ? undefined : encoder.encode(JSON.stringify(body)), { timeout: 5000 });
      return JSON.parse(decoder.decode(reply.data) || '{}');
    } catch (error) {
      if ((error as NatsError).code === ErrorCode.PermissionsViolation) return 'refused';
      throw error;
    }
  }

  /** Subscribes as A: 'refused' when the server refuses the subscription, 'allowed' when it hears or stays open. */
  async function listen(subjectHeard: string): Promise<'refused' | 'allowed'> {
    const sub = a.subscribe(subjectHeard);
    const heard = (async () => {
      for await (const _ of sub) return 'heard' as const;
      return 'closed' as const;
    })().catch((error: NatsError) => (error.code === ErrorCode.PermissionsViolation ? ('refused' as const) : Promise.reject(error)));
    // Something for an allowed subscription to hear: a message on B's feed (the publisher's).
    await a.flush();
    await publisher.jetstream().publish(subject(B, 'referral.v1.closed'), encoder.encode('probe')).then((ack) => published[B]!.push(ack.seq));
    const outcome = await Promise.race([heard, new Promise<'silent'>((r) => setTimeout(() => r('silent'), 10_000).unref())]);
    sub.unsubscribe();
    return outcome === 'refused' ? 'refused' : 'allowed';
  }

  const consumerConfig = (over: Record<string, unknown>) => ({ stream_name: stream, config: { ack_policy: 'explicit', deliver_policy: 'all', ...over } });

  describe('core subscriptions: A hears nothing but its own replies', () => {
    it.each<[string, () => string]>([
      ['B’s feed', () => `${feed(B)}`],
      ['every feed (partner.*.>)', () => names.subject('partner.*.>')],
      ['every partner subject (partner.>)', () => names.subject('partner.>')],
      ['A’s own feed by core subscription (its messages come through its consumers)', () => feed(A)],
      ['everything (>)', () => '>'],
      ['the JetStream API and acks ($JS.>)', () => '$JS.>'],
      ['the JetStream API ($JS.API.>)', () => '$JS.API.>'],
      ['B’s acks', () => `$JS.ACK.${stream}.${durable(B)}.>`],
      ['B’s replies', () => `${partnerInbox(B, prefix)}.>`],
      ['every inbox (_INBOX.>)', () => '_INBOX.>'],
      ['the services’ events', () => names.subject('referral.v1.>')],
      ['the system account’s subjects', () => '$SYS.>'],
    ])('refuses subscribing to %s', async (_, subjectOf) => {
      expect(await listen(subjectOf())).toBe('refused');
    });
  });

  describe('JetStream API: A cannot read, learn of or change B’s consumers, the stream or its messages', () => {
    type Row = [string, () => string, unknown, 'refused' | number];
    const S = () => stream;
    it.each<Row>([
      // Consumer create, filtered form: only A's slots with A's filter are permitted, and the server binds the body to the subject.
      ['create B’s durable with B’s filter', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(B)}.${feed(B)}`, undefined, 'refused'],
      ['create A’s durable with B’s filter', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A)}.${feed(B)}`, undefined, 'refused'],
      ['create (or update) B’s durable with A’s filter', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(B)}.${feed(A)}`, undefined, 'refused'],
      ['create a durable beyond A’s slots', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A, PartnerFeed.DURABLE_SLOTS + 1)}.${feed(A)}`, undefined, 'refused'],
      ['create A’s durable over every feed', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A)}.${names.subject('partner.>')}`, undefined, 'refused'],
      ['create A’s durable with a wildcard organization', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A)}.${names.subject('partner.*.referral.v1.requested')}`, undefined, 'refused'],
      ['create a consumer of another name with A’s filter', () => `$JS.API.CONSUMER.CREATE.${S()}.snoop.${feed(A)}`, undefined, 'refused'],
      ['create A’s durable under A’s filter subject with B’s filter in the body (server: filter mismatch)', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A, 3)}.${feed(A)}`, 'B-filter-body', 10131],
      ['create under A’s subject with B’s durable in the body (server: name mismatch)', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A, 3)}.${feed(A)}`, 'B-name-body', 10017],
      ['create in the unfiltered form (filter in the body only)', () => `$JS.API.CONSUMER.CREATE.${S()}.${durable(A)}`, 'B-filter-body-slot-1', 'refused'],
      ['create an ephemeral consumer', () => `$JS.API.CONSUMER.CREATE.${S()}`, 'B-filter-body-slot-1', 'refused'],
      // The older durable create carries the filter in its body only: refused even for A's own names.
      ['durable create of A’s own name', () => `$JS.API.CONSUMER.DURABLE.CREATE.${S()}.${durable(A)}`, 'B-filter-body-slot-1', 'refused'],
      ['durable create of B’s name', () => `$JS.API.CONSUMER.DURABLE.CREATE.${S()}.${durable(B)}`, 'B-filter-body-slot-1', 'refused'],
      // B's consumer.
      ['next message on B’s consumer', () => `$JS.API.CONSUMER.MSG.NEXT.${S()}.${durable(B)}`, { batch: 1, expires: 1_000_000_000 }, 'refused'],
      ['info of B’s consumer', () => `$JS.API.CONSUMER.INFO.${S()}.${durable(B)}`, undefined, 'refused'],
      ['delete B’s consumer', () => `$JS.API.CONSUMER.DELETE.${S()}.${durable(B)}`, undefined, 'refused'],
      ['ack on B’s consumer', () => `$JS.ACK.${S()}.${durable(B)}.1.1.1.1.0`, undefined, 'refused'],
      ['leader step-down of B’s consumer', () => `$JS.API.CONSUMER.LEADER.STEPDOWN.${S()}.${durable(B)}`, undefined, 'refused'],
      // Listings name every organization's consumers.
      ['consumer list', () => `$JS.API.CONSUMER.LIST.${S()}`, {}, 'refused'],
      ['consumer names', () => `$JS.API.CONSUMER.NAMES.${S()}`, {}, 'refused'],
      // Messages by sequence or subject, whoever's feed they are.
      ['direct get by sequence', () => `$JS.API.DIRECT.GET.${S()}`, { seq: 2 }, 'refused'],
      ['direct get of B’s last message by subject', () => `$JS.API.DIRECT.GET.${S()}.${subject(B, 'referral.v1.accepted')}`, undefined, 'refused'],
      ['message get', () => `$JS.API.STREAM.MSG.GET.${S()}`, { last_by_subj: subject(B, 'referral.v1.accepted') }, 'refused'],
      ['message delete', () => `$JS.API.STREAM.MSG.DELETE.${S()}`, { seq: 2 }, 'refused'],
      // The stream itself.
      ['stream info (subjects and counts of every feed)', () => `$JS.API.STREAM.INFO.${S()}`, { subjects_filter: '>' }, 'refused'],
      ['stream list', () => '$JS.API.STREAM.LIST', {}, 'refused'],
      ['stream names', () => '$JS.API.STREAM.NAMES', {}, 'refused'],
      ['stream purge of B’s feed', () => `$JS.API.STREAM.PURGE.${S()}`, { filter: feed(B) }, 'refused'],
      ['stream delete', () => `$JS.API.STREAM.DELETE.${S()}`, undefined, 'refused'],
      ['stream update', () => `$JS.API.STREAM.UPDATE.${S()}`, { name: S(), subjects: [names.subject('partner.>')] }, 'refused'],
      ['stream create (a copy capturing B’s feed)', () => '$JS.API.STREAM.CREATE.SNOOP', { name: 'SNOOP', sources: [{ name: S(), filter_subject: feed(B) }] }, 'refused'],
      ['stream snapshot', () => `$JS.API.STREAM.SNAPSHOT.${S()}`, { deliver_subject: `${partnerInbox(A, prefix)}.snap` }, 'refused'],
      ['stream restore', () => `$JS.API.STREAM.RESTORE.${S()}`, {}, 'refused'],
      ['stream leader step-down', () => `$JS.API.STREAM.LEADER.STEPDOWN.${S()}`, undefined, 'refused'],
      ['account info', () => '$JS.API.INFO', undefined, 'refused'],
      ['meta leader step-down', () => '$JS.API.META.LEADER.STEPDOWN', undefined, 'refused'],
      ['server remove', () => '$JS.API.SERVER.REMOVE', {}, 'refused'],
      ['the system account’s account lookup', () => '$SYS.REQ.ACCOUNT.PING.CONNZ', {}, 'refused'],
      // Writing into feeds: nobody's but the publisher's.
      ['publish into B’s feed', () => subject(B, 'referral.v1.accepted'), { forged: true }, 'refused'],
      ['publish into A’s own feed', () => subject(A, 'referral.v1.accepted'), { forged: true }, 'refused'],
      ['publish a service event', () => names.subject('referral.v1.accepted'), { forged: true }, 'refused'],
    ])('%s', async (_, subjectOf, body, expected) => {
      const bodies: Record<string, unknown> = {
        'B-filter-body': consumerConfig({ durable_name: durable(A, 3), name: durable(A, 3), filter_subject: feed(B) }),
        'B-name-body': consumerConfig({ durable_name: durable(B), name: durable(B), filter_subject: feed(A) }),
        'B-filter-body-slot-1': consumerConfig({ durable_name: durable(A), name: durable(A), filter_subject: feed(B) }),
      };
      const outcome = await send(subjectOf(), typeof body === 'string' ? bodies[body] : body);
      if (expected === 'refused') expect(outcome).toBe('refused');
      else expect(outcome).toMatchObject({ error: { err_code: expected } });
    });

    it('left B’s consumer, feed and the stream as they were', async () => {
      const bjsm = await b.jetstreamManager({ checkAPI: false });
      const info = await bjsm.consumers.info(stream, durable(B));
      expect(info.config.filter_subject).toBe(feed(B));
      const consumer = await b.jetstream().consumers.get(stream, durable(B));
      const seen: number[] = [];
      const batch = await consumer.fetch({ max_messages: 100, expires: 2000 });
      for await (const m of batch) (seen.push(m.seq), m.ack());
      expect(seen).toEqual(published[B]);
      const state = await (await publisher.jetstreamManager()).streams.info(stream);
      expect(state.state.messages).toBe(published[A]!.length + published[B]!.length);
    });
  });

  describe('A does its own things', () => {
    const fetchAll = async (nc: NatsConnection, name: string): Promise<JsMsg[]> => {
      const consumer = await nc.jetstream().consumers.get(stream, name);
      const messages: JsMsg[] = [];
      for await (const m of await consumer.fetch({ max_messages: 100, expires: 2000 })) messages.push(m);
      return messages;
    };

    it('creates its durable with its own filter, fetches its own feed in order, and acks', async () => {
      const jsm = await a.jetstreamManager({ checkAPI: false });
      await jsm.consumers.add(stream, { durable_name: durable(A), filter_subject: feed(A), ack_policy: AckPolicy.Explicit });
      const messages = await fetchAll(a, durable(A));
      expect(messages.map((m) => m.seq)).toEqual(published[A]);
      expect(messages.map((m) => decoder.decode(m.data))).toEqual(['a1', 'a2', 'a3']);
      for (const m of messages) await m.ackAck();
      const info = await jsm.consumers.info(stream, durable(A));
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
    });

    it('narrows its filter to one event type of its own feed', async () => {
      const jsm = await a.jetstreamManager({ checkAPI: false });
      await jsm.consumers.add(stream, { durable_name: durable(A, 3), filter_subject: subject(A), ack_policy: AckPolicy.Explicit });
      expect((await fetchAll(a, durable(A, 3))).map((m) => m.subject)).toEqual([subject(A), subject(A), subject(A)]);
      await jsm.consumers.delete(stream, durable(A, 3));
      await expect(jsm.consumers.info(stream, durable(A, 3))).rejects.toThrow(/consumer not found/);
    });

    it('replays from a sequence and from a point in time', async () => {
      const jsm = await a.jetstreamManager({ checkAPI: false });
      const [, second] = published[A]!;
      await jsm.consumers.add(stream, { durable_name: durable(A, 2), filter_subject: feed(A), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: second });
      const fromSequence = await fetchAll(a, durable(A, 2));
      expect(fromSequence.map((m) => m.seq)).toEqual(published[A]!.slice(1));
      const at = new Date(Math.floor(fromSequence[0]!.info.timestampNanos / 1e6)).toISOString();
      await jsm.consumers.delete(stream, durable(A, 2));

      await jsm.consumers.add(stream, { durable_name: durable(A, 2), filter_subject: feed(A), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.StartTime, opt_start_time: at });
      expect((await fetchAll(a, durable(A, 2))).map((m) => m.seq)).toEqual(published[A]!.slice(1));
      await jsm.consumers.delete(stream, durable(A, 2));
    });
  });

  describe('revocation', () => {
    it('refuses a revoked credential within 60 s: its connection is closed and it cannot connect again; others keep working', async () => {
      const credentials = await issuer.issue(A, prefix);
      // A partner that reconnects on its own, as a long-running client does.
      const partner = await connectPartner(A, credentials, { reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      const closed = partner.closed();
      await (await partner.jetstream().consumers.get(stream, durable(A))).info();

      const claims = await nats.claimsConnection();
      open.push(claims);
      const started = Date.now();
      expect(await issuer.revoke(claims, { [credentials.publicKey]: credentials.issuedAt.getTime() / 1000 })).toBe(1);

      await pollUntil(() => partner.isClosed(), (isClosed) => isClosed, { timeoutMs: 60_000, what: 'the revoked partner’s connection to close' });
      expect(await closed).toMatchObject({ code: ErrorCode.AuthorizationViolation });
      const refused = await pollUntil(
        () => nats.connectWith(credentials.creds).then((nc) => (open.push(nc), 'connected'), (error: NatsError) => error.code),
        (code) => code === ErrorCode.AuthorizationViolation,
        { timeoutMs: 60_000, what: 'a new connection with the revoked credential to be refused' },
      );
      expect(refused).toBe(ErrorCode.AuthorizationViolation);
      expect(Date.now() - started).toBeLessThan(60_000);

      // Repeating the revocation changes nothing; B, A's other credential and the services are unaffected.
      expect(await issuer.revoke(claims, { [credentials.publicKey]: credentials.issuedAt.getTime() / 1000 })).toBe(0);
      await expect((await b.jetstreamManager({ checkAPI: false })).consumers.info(stream, durable(B))).resolves.toBeDefined();
      await expect((await a.jetstreamManager({ checkAPI: false })).consumers.info(stream, durable(A))).resolves.toBeDefined();
      await (await nats.connect('referral', prefix)).close();
    }, 150_000);

    it('keeps a revocation across a restart of the server', async () => {
      const credentials = await issuer.issue(A, prefix);
      const claims = await nats.claimsConnection();
      expect(await issuer.revoke(claims, { [credentials.publicKey]: credentials.issuedAt.getTime() / 1000 })).toBe(1);
      await claims.close();
      await nats.restart();
      await expect(nats.connectWith(credentials.creds)).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
      const fresh = await nats.connectWith((await issuer.issue(B, prefix)).creds, { inboxPrefix: partnerInbox(B, prefix) });
      await fresh.close();
    }, 60_000);
  });
});
