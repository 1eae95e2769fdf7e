import { AckPolicy, JsMsg, NatsConnection } from 'nats';
import request from 'supertest';
import { PartnerFeed } from '@nwd/contracts';
import { AuthorizedNatsServer, pollUntil, TestNetwork } from '@nwd/testing';
import { ReferralKit } from '../../referral/test/referral-test-kit';

const decoder = new TextDecoder();

/**
 * The whole path on a NATS server running the network's authorization: an org admin obtains its
 * organization's credentials through the API, a referral flows through the referral service, and
 * the receiver's own durable consumer — connected with nothing but those credentials — gets the
 * events of it, in order, ids and codes only.
 */
describe('a referral reaches the receiver’s NATS consumer, with the credentials its admin obtained', () => {
  let nats: AuthorizedNatsServer;
  let network: TestNetwork;
  let kit: ReferralKit;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await AuthorizedNatsServer.start();
    network = await TestNetwork.start(['consent', 'referral', 'notifications'], {
      nats,
      env: {
        referral: { NWD_REMINDER_SWEEP_INTERVAL_SECONDS: 0 },
        notifications: { NWD_PARTNER_NATS_ISSUER_FILE: await nats.partnerIssuerFile() },
      },
    });
    kit = new ReferralKit(network);
  }, 240_000);

  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await network?.close();
    await nats?.dispose();
  });

  it('delivers requested and accepted to the receiver’s durable slot, and nothing personal', async () => {
    const [clinic, pantry] = await kit.pair();
    const pantryAdmin = await network.client(pantry.id, ['org-admin']);
    const issued = (await request(network.server('notifications')).post('/v1/nats-credentials').auth(pantryAdmin.token, { type: 'bearer' }).expect(201)).body;
    const { stream, filter, durables, inboxPrefix } = issued.connection as { stream: string; filter: string; durables: string[]; inboxPrefix: string };
    const nc = await nats.connectWith(issued.creds, { inboxPrefix });
    open.push(nc);
    await (await nc.jetstreamManager({ checkAPI: false })).consumers.add(stream, { durable_name: durables[0], filter_subject: filter, ack_policy: AckPolicy.Explicit });

    const referral = await kit.create(clinic, pantry);
    await kit.drive(clinic, pantry, referral.id, ['accepted']);

    const consumer = await nc.jetstream().consumers.get(stream, durables[0]!);
    const received: JsMsg[] = [];
    await pollUntil(
      async () => {
        for await (const m of await consumer.fetch({ max_messages: 10, expires: 1000 })) (received.push(m), m.ack());
        return received.length;
      },
      (n) => n >= 2,
      { timeoutMs: 60_000, what: 'the receiver’s feed to hold the referral’s two events' },
    );
    const events = received.map((m) => ({ subject: m.subject, envelope: JSON.parse(decoder.decode(m.data)) }));
    expect(events.map((e) => [e.subject, e.envelope.type, e.envelope.data.referralId, e.envelope.data.version])).toEqual([
      // The envelope names its partner subject (unprefixed), as the AsyncAPI document's channels do.
      [`${network.natsPrefix}.${PartnerFeed.subject(pantry.id, 'referral.v1.requested')}`, PartnerFeed.subject(pantry.id, 'referral.v1.requested'), referral.id, 1],
      [`${network.natsPrefix}.${PartnerFeed.subject(pantry.id, 'referral.v1.accepted')}`, PartnerFeed.subject(pantry.id, 'referral.v1.accepted'), referral.id, 2],
    ]);
    expect(events[0]!.envelope.data).toMatchObject({ senderOrganizationId: clinic.id, receivingOrganizationId: pantry.id, status: 'requested' });
    // The inline client the referral was created with never travels on the feed.
    expect(JSON.stringify(events)).not.toMatch(/Rosa|Delgado|555 010|1979-05-14/);
  }, 180_000);
});
