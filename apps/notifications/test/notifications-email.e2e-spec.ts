import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { asSystem } from '@nwd/auth';
import { pollUntil, TestNetwork, TestOrganization } from '@nwd/testing';
import { ReminderSweep } from '../../referral/src/reminders/reminder.sweep';
import { fields, ReferralKit } from '../../referral/test/referral-test-kit';
import { PlatformAlerts } from '../src/deliveries/platform-alerts';
import { DigestAssembler } from '../src/email/digest-assembler';
import { MailDispatcher } from '../src/email/mail-dispatcher';
import { OutgoingMailRepository } from '../src/email/outgoing-mail.repository';
import { localTimeOf } from '../src/subscriptions/local-time';
import { TestMailbox } from './test-mailbox';

const LINK_BASE = 'https://console.test/referrals';
const PERSONAL_DATA = ['Rosa', 'Delgado', '1979', '555 010', 'groceries', 'food-insecurity'];
const MINUTE = 60_000;

describe('notifications by email and in-app', () => {
  const mailbox = new TestMailbox();
  let network: TestNetwork;
  let kit: ReferralKit;

  beforeAll(async () => {
    await mailbox.start();
    network = await TestNetwork.start(['consent', 'referral', 'notifications'], {
      env: {
        notifications: {
          NWD_SMTP_PORT: mailbox.port,
          NWD_MAIL_FROM: 'network@nowrongdoor.test',
          NWD_REFERRAL_LINK_BASE_URL: LINK_BASE,
          NWD_MAIL_SEND_INTERVAL_SECONDS: 1,
          NWD_MAIL_RETRY_BASE_SECONDS: 1,
          NWD_MAIL_RETRY_MAX_SECONDS: 2,
          NWD_DIGEST_INTERVAL_SECONDS: 0,
        },
        referral: { NWD_REMINDER_SWEEP_INTERVAL_SECONDS: 0 },
      },
    });
    kit = new ReferralKit(network);
  }, 120_000);

  afterAll(async () => {
    await network?.close();
    await mailbox.stop();
  });

  const notifications = () => network.service('notifications');
  const api = () => request(notifications().server);
  const address = (who: string) => `${who}-${randomBytes(4).toString('hex')}@example.org`;

  async function pair(): Promise<[TestOrganization, TestOrganization]> {
    return [
      await network.organization({ kind: 'health-system', roles: ['staff', 'org-admin'] }),
      await network.organization({ kind: 'cbo', roles: ['staff', 'org-admin'] }),
    ];
  }

  async function subscribe(token: string, body: Record<string, unknown>, scope?: 'network') {
    const res = await api().post(`/v1/subscriptions${scope ? '?scope=network' : ''}`).auth(token, { type: 'bearer' }).send(body);
    if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; [k: string]: unknown };
  }

  async function queuedFor(to: string) {
    return kit.sql<{ status: string; attempts: number; not_before: Date; last_error: string | null }>(
      `SELECT status, attempts, not_before, last_error FROM outgoing_mail WHERE address = $1`,
      [to],
      'notifications',
    );
  }

  function expectNoPersonalData(text: string): void {
    for (const value of PERSONAL_DATA) expect(text).not.toContain(value);
  }

  it('mails a referral event to the subscribed address in the subscription’s language, with a link and no personal data', async () => {
    const [clinic, pantry] = await pair();
    const pantryMail = address('pantry');
    const clinicMail = address('clinic');
    const subscribed = await subscribe(pantry.token, { channel: 'email', address: pantryMail, eventTypes: ['referral.v1.requested'], language: 'es' });
    expect(subscribed).toMatchObject({ scope: 'organization', organizationId: pantry.id, channel: 'email', language: 'es', timeZone: 'UTC', digest: null, quietHours: null });
    await subscribe(clinic.token, { channel: 'email', address: clinicMail, eventTypes: ['referral.v1.accepted'], language: 'en' });

    const referral = await kit.create(clinic, pantry);
    const [mail] = await mailbox.waitFor(pantryMail);
    expect(mail!.from).toBe('network@nowrongdoor.test');
    expect(mail!.subject).toMatch(/^Nueva derivación recibida/);
    expect(mail!.text).toContain(`${LINK_BASE}/${referral.id}`);
    expect(mail!.text).toContain('Estado: requested');
    expectNoPersonalData(mail!.subject + mail!.text);
    // The clinic asked only for acceptances.
    expect(mailbox.to(clinicMail)).toHaveLength(0);

    await kit.drive(clinic, pantry, referral.id, ['accepted']);
    const [accepted] = await mailbox.waitFor(clinicMail);
    expect(accepted!.subject).toMatch(/^Referral accepted/);
    expect(accepted!.text).toContain(`${LINK_BASE}/${referral.id}`);
    expectNoPersonalData(accepted!.text);
    expect(mailbox.to(pantryMail)).toHaveLength(1);
  }, 60_000);

  it('holds mail due inside quiet hours until they end in the subscription’s zone', async () => {
    const [clinic, pantry] = await pair();
    const to = address('quiet');
    const zone = 'America/Chicago';
    const now = new Date();
    const clock = notifications().clock.set(now);
    try {
      await subscribe(pantry.token, {
        channel: 'email', address: to, eventTypes: ['referral.v1.requested'], language: 'en', timeZone: zone,
        quietHours: { start: localTimeOf(new Date(now.getTime() - 60 * MINUTE), zone), end: localTimeOf(new Date(now.getTime() + 60 * MINUTE), zone) },
      });
      await kit.create(clinic, pantry);
      const [queued] = await pollUntil(() => queuedFor(to), (rows) => rows.length === 1, { what: 'the mail queued' });
      expect(queued!.status).toBe('pending');
      expect(queued!.not_before.getTime()).toBeGreaterThan(now.getTime() + 58 * MINUTE);
      expect(queued!.not_before.getTime()).toBeLessThanOrEqual(now.getTime() + 60 * MINUTE);

      await notifications().app.get(MailDispatcher).run(clock.now());
      expect(mailbox.to(to)).toHaveLength(0);
      expect((await queuedFor(to))[0]!.attempts).toBe(0);

      clock.set(queued!.not_before.getTime() + 1000); // the sender's own timer runs on this clock
      const [mail] = await mailbox.waitFor(to);
      expect(mail!.subject).toMatch(/^New referral received/);
    } finally {
      clock.reset();
    }
  }, 60_000);

  it('gathers a day’s events into one digest mail at the subscription’s local time', async () => {
    const [clinic, pantry] = await pair();
    const to = address('digest');
    const zone = 'Europe/Madrid';
    const now = new Date();
    const digestTime = localTimeOf(new Date(now.getTime() + 30 * MINUTE), zone);
    const subscription = await subscribe(pantry.token, { channel: 'email', address: to, eventTypes: ['referral.v1.requested', 'referral.v1.cancelled'], language: 'es', timeZone: zone, digest: 'daily', digestTime });
    expect(subscription).toMatchObject({ digest: 'daily', digestTime, timeZone: zone });

    const referrals = [await kit.create(clinic, pantry), await kit.create(clinic, pantry), await kit.create(clinic, pantry)];
    await kit.drive(clinic, pantry, referrals[0]!.id, ['cancelled']);
    await pollUntil(
      () => kit.sql(`SELECT 1 FROM digest_item WHERE subscription_id = $1`, [subscription.id], 'notifications'),
      (rows) => rows.length === 4,
      { what: 'four events waiting for the digest' },
    );
    const digests = notifications().app.get(DigestAssembler);
    expect(await digests.run(new Date(now.getTime() + 10 * MINUTE))).toBe(0);
    await notifications().app.get(MailDispatcher).run(new Date());
    expect(mailbox.to(to)).toHaveLength(0);

    const clock = notifications().clock.set(now.getTime() + 31 * MINUTE);
    try {
      // Two replicas' assemblers at once: one digest (SKIP LOCKED), not two.
      const runs = await Promise.all([digests.run(clock.now()), digests.run(clock.now())]);
      expect(runs[0]! + runs[1]!).toBe(1);
      const [digest] = await mailbox.waitFor(to);
      expect(digest!.subject).toMatch(/^No Wrong Door: 4 novedades de derivaciones/);
      for (const r of referrals) expect(digest!.text).toContain(`${LINK_BASE}/${r.id}`);
      expect(digest!.text).toContain('Derivación cancelada');
      expectNoPersonalData(digest!.text);

      expect(await digests.run(new Date(clock.nowMs() + MINUTE))).toBe(0);
      const [scheduled] = await kit.sql<{ next_digest_at: Date }>(`SELECT next_digest_at FROM notification_subscription WHERE id = $1`, [subscription.id], 'notifications');
      expect(scheduled!.next_digest_at.getTime() - now.getTime()).toBeGreaterThan(23 * 60 * MINUTE);
      await notifications().app.get(MailDispatcher).run(clock.now());
      expect(mailbox.to(to)).toHaveLength(1);
    } finally {
      clock.reset();
    }
  }, 90_000);

  it('delivers a mail once the SMTP relay comes back, exactly once', async () => {
    const [clinic, pantry] = await pair();
    const to = address('outage');
    await subscribe(pantry.token, { channel: 'email', address: to, eventTypes: ['referral.v1.requested'], language: 'en' });
    await mailbox.stop();
    try {
      await kit.create(clinic, pantry);
      const [failing] = await pollUntil(() => queuedFor(to), (rows) => rows[0]?.last_error != null && rows[0].attempts >= 2, { timeoutMs: 30_000, what: 'failed attempts while the relay is down' });
      expect(failing!.status).toBe('pending');
    } finally {
      await mailbox.start();
    }
    await mailbox.waitFor(to);
    await pollUntil(() => queuedFor(to), (rows) => rows[0]?.status === 'sent', { what: 'the mail marked sent' });
    await notifications().app.get(MailDispatcher).run(new Date(Date.now() + 60 * MINUTE));
    expect(mailbox.to(to)).toHaveLength(1);
  }, 90_000);

  it('sends each queued mail once when two senders claim at the same time (SKIP LOCKED)', async () => {
    const to = address('replicas');
    const later = new Date(Date.now() + 24 * 60 * MINUTE); // beyond what the running timer claims
    const queue = notifications().app.get(OutgoingMailRepository);
    await notifications().app.get(DataSource).transaction(async (manager) => {
      for (let i = 0; i < 20; i++) {
        await queue.enqueue(asSystem, manager, { dedupeKey: `replicas:${to}:${i}`, subscriptionId: null, organizationId: null, address: to, subject: `mail ${i}`, body: 'x', notBefore: later, createdAt: new Date() });
      }
    });
    const dispatcher = notifications().app.get(MailDispatcher);
    const at = new Date(later.getTime() + 1000);
    const sent = await Promise.all([dispatcher.run(at), dispatcher.run(at), dispatcher.run(at)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(20);
    const mails = await mailbox.waitFor(to, 20);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(20);
    expect(mails).toHaveLength(20);
  }, 60_000);

  it('keeps an in-app list per organization: newest first, paged, unread count, mark one or all up to a point read', async () => {
    const [clinic, pantry] = await pair();
    const [, stranger] = await pair();
    await subscribe(pantry.token, { channel: 'in-app', eventTypes: ['referral.v1.requested'], language: 'en' });
    const referrals = [];
    for (let i = 0; i < 3; i++) referrals.push(await kit.create(clinic, pantry));

    const list = (token: string, query = '') => api().get(`/v1/notifications${query}`).auth(token, { type: 'bearer' });
    const unread = async (token: string) => (await api().get('/v1/notifications/unread-count').auth(token, { type: 'bearer' }).expect(200)).body.unread;
    await pollUntil(() => unread(pantry.token), (n) => n === 3, { what: 'three unread notifications' });

    const first = await list(pantry.token, '?limit=2').expect(200);
    expect(first.body.data.map((n: any) => n.referralId)).toEqual([referrals[2]!.id, referrals[1]!.id]);
    expect(first.body.data[0]).toMatchObject({ kind: 'referral-event', eventType: 'referral.v1.requested', purpose: 'notice', status: 'requested', organizationId: pantry.id, userId: null, readAt: null, link: `${LINK_BASE}/${referrals[2]!.id}` });
    const second = await list(pantry.token, `?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.data.map((n: any) => n.referralId)).toEqual([referrals[0]!.id]);
    expect(second.body.nextCursor).toBeNull();

    const [newest, middle] = first.body.data;
    const oldest = second.body.data[0];
    // Another organization sees none of it and cannot touch it.
    expect((await list(stranger.token).expect(200)).body.data).toEqual([]);
    await api().post(`/v1/notifications/${oldest.id}/read`).auth(stranger.token, { type: 'bearer' }).expect(404);

    const read = await api().post(`/v1/notifications/${oldest.id}/read`).auth(pantry.token, { type: 'bearer' }).expect(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect(await unread(pantry.token)).toBe(2);
    expect((await list(pantry.token, '?unread=true').expect(200)).body.data.map((n: any) => n.id)).toEqual([newest.id, middle.id]);

    const upTo = await api().post('/v1/notifications/read').auth(pantry.token, { type: 'bearer' }).send({ upTo: middle.id }).expect(200);
    expect(upTo.body).toEqual({ marked: 1 });
    expect(await unread(pantry.token)).toBe(1);
    const all = await api().post('/v1/notifications/read').auth(pantry.token, { type: 'bearer' }).send({}).expect(200);
    expect(all.body).toEqual({ marked: 1 });
    expect(await unread(pantry.token)).toBe(0);
  }, 60_000);

  it('turns due-soon into a reminder to the receiver and overdue into an escalation to the sender and the network admins', async () => {
    const [clinic, pantry] = await pair();
    const pantryMail = address('pantry-standards');
    const clinicMail = address('clinic-standards');
    const adminsMail = address('network-admins');
    const both = ['referral.v1.due-soon', 'referral.v1.overdue'];
    await subscribe(pantry.token, { channel: 'email', address: pantryMail, eventTypes: both, language: 'en' });
    await subscribe(clinic.token, { channel: 'email', address: clinicMail, eventTypes: both, language: 'es' });
    await subscribe(network.adminToken, { channel: 'email', address: adminsMail, eventTypes: ['referral.v1.overdue'], language: 'en' }, 'network');
    await subscribe(network.adminToken, { channel: 'in-app', eventTypes: ['referral.v1.overdue'], language: 'en' }, 'network');

    // The referral service's own schedule fires them: made on Friday 15 January 2027 (New York), two
    // business days to respond across Monday's federal holiday: due-soon from the start of Wednesday 20,
    // overdue once Wednesday has ended.
    const referralService = network.service('referral');
    const sweep = referralService.app.get(ReminderSweep);
    const referral = await kit.at('2027-01-15T10:00:00-05:00', () => kit.create(clinic, pantry));
    // (The suite's earlier referrals, made today, come due in the same sweeps: hence "at least".)
    for (const at of ['2027-01-20T00:00:01-05:00', '2027-01-21T00:00:01-05:00']) {
      await kit.at(at, async () => expect((await sweep.run(referralService.clock.now())).fired).toBeGreaterThanOrEqual(1));
    }

    // The receiver is reminded of both: the deadline near, then passed.
    const reminders = await mailbox.waitFor(pantryMail, 2);
    const near = reminders.find((m) => m.subject.startsWith('Reminder: a platform-standard deadline is near'));
    const missed = reminders.find((m) => m.subject.startsWith('Reminder: a platform-standard deadline has passed'));
    expect(near!.text).toContain('respond to the referral');
    expect(near!.text).toContain(`${LINK_BASE}/${referral.id}`);
    expect(missed!.text).not.toContain('Escalation');
    // The sender gets the escalation only (it is not reminded of the receiver's deadline).
    const [escalation] = await mailbox.waitFor(clinicMail);
    expect(escalation!.subject).toMatch(/^Escalamiento:/);
    expect(escalation!.text).toContain('responder a la derivación');
    const toAdmins = await pollUntil(
      () => mailbox.to(adminsMail).filter((m) => m.text.includes(referral.id)),
      (mails) => mails.length > 0,
      { timeoutMs: 30_000, what: 'the escalation mailed to the network admins' },
    );
    expect(toAdmins).toHaveLength(1);
    expect(toAdmins[0]!.subject).toMatch(/^Escalation: a platform standard was missed/);

    const networkInbox = await pollUntil(
      async () => (await api().get('/v1/notifications?scope=network&limit=100').auth(network.adminToken, { type: 'bearer' }).expect(200)).body.data,
      (data: any[]) => data.some((n) => n.referralId === referral.id),
      { what: 'the escalation in the network admins’ inbox' },
    );
    expect(networkInbox.find((n: any) => n.referralId === referral.id)).toMatchObject({
      scope: 'network', organizationId: null, eventType: 'referral.v1.overdue', purpose: 'escalation', standard: 'respond', dueAt: '2027-01-21T04:59:59.999Z',
    });
    // An organization's admin is not a network admin.
    await api().get('/v1/notifications?scope=network').auth(clinic.token, { type: 'bearer' }).expect(403);

    await pollUntil(() => queuedFor(clinicMail), (rows) => rows.every((r) => r.status === 'sent'));
    expect(mailbox.to(pantryMail)).toHaveLength(2);
    expect(mailbox.to(clinicMail)).toHaveLength(1);
  }, 60_000);

  it('raises a platform alert in the organization’s inbox and to its addresses', async () => {
    const [, pantry] = await pair();
    const to = address('alerts');
    await subscribe(pantry.token, { channel: 'email', address: to, eventTypes: ['referral.v1.requested'], language: 'es' });
    const endpointId = uuidv7();
    const alert = { code: 'webhook-endpoint-disabled' as const, subjectId: endpointId, link: `https://api.test/v1/webhooks/${endpointId}`, dedupeKey: `webhook-disabled:${endpointId}` };
    await notifications().app.get(PlatformAlerts).raise(pantry.id, alert);
    await notifications().app.get(PlatformAlerts).raise(pantry.id, alert); // the same happening twice is one alert

    const [mail] = await mailbox.waitFor(to);
    expect(mail!.subject).toContain('Se desactivó un webhook');
    expect(mail!.text).toContain(endpointId);
    const inbox = await api().get('/v1/notifications').auth(pantry.token, { type: 'bearer' }).expect(200);
    expect(inbox.body.data).toEqual([expect.objectContaining({ kind: 'platform-alert', alert: 'webhook-endpoint-disabled', subjectId: endpointId, referralId: null })]);
    await notifications().app.get(MailDispatcher).run(new Date(Date.now() + 60 * MINUTE));
    expect(mailbox.to(to)).toHaveLength(1);
  }, 60_000);

  it('manages subscriptions: read, change, delete, and only its own organization’s', async () => {
    const [clinic, pantry] = await pair();
    const created = await subscribe(pantry.token, { channel: 'email', address: address('crud'), eventTypes: ['referral.v1.requested'], language: 'en' });
    const auth = { type: 'bearer' } as const;
    const changed = await api().patch(`/v1/subscriptions/${created.id}`).auth(pantry.token, auth)
      .send({ language: 'es', quietHours: { start: '22:00', end: '07:00' }, timeZone: 'America/New_York', digest: 'daily' }).expect(200);
    expect(changed.body).toMatchObject({ language: 'es', quietHours: { start: '22:00', end: '07:00' }, timeZone: 'America/New_York', digest: 'daily', channel: 'email' });
    expect((await api().get('/v1/subscriptions').auth(pantry.token, auth).expect(200)).body.data.map((s: any) => s.id)).toEqual([created.id]);
    await api().get(`/v1/subscriptions/${created.id}`).auth(clinic.token, auth).expect(404);
    await api().patch(`/v1/subscriptions/${created.id}`).auth(clinic.token, auth).send({ language: 'en' }).expect(404);
    const cleared = await api().patch(`/v1/subscriptions/${created.id}`).auth(pantry.token, auth).send({ quietHours: null, digest: null }).expect(200);
    expect(cleared.body).toMatchObject({ quietHours: null, digest: null });
    await api().delete(`/v1/subscriptions/${created.id}`).auth(pantry.token, auth).expect(204);
    await api().get(`/v1/subscriptions/${created.id}`).auth(pantry.token, auth).expect(404);

    const staffOnly = await network.organization({ roles: ['staff'] });
    await api().get('/v1/subscriptions').auth(staffOnly.token, auth).expect(403);
  }, 60_000);

  it('refuses bad input with a 400 naming each field', async () => {
    const [, pantry] = await pair();
    const auth = { type: 'bearer' } as const;
    const bad = await api().post('/v1/subscriptions').auth(pantry.token, auth).send({
      channel: 'email', eventTypes: ['referral.v1.nope'], language: 'fr', timeZone: 'Mars/Olympus', quietHours: { start: '25:00', end: '07:00' }, digest: 'weekly',
    }).expect(400);
    expect(fields(bad.body)).toEqual(expect.arrayContaining(['address', 'eventTypes', 'language', 'timeZone', 'quietHours.start', 'digest']));
    const inApp = await api().post('/v1/subscriptions').auth(pantry.token, auth).send({ channel: 'in-app', address: 'a@example.org', eventTypes: ['referral.v1.requested'], language: 'en' }).expect(400);
    expect(fields(inApp.body)).toEqual(['address']);
    const noChannel = await api().post('/v1/subscriptions').auth(pantry.token, auth).send({ eventTypes: [], language: 'en' }).expect(400);
    expect(fields(noChannel.body)).toEqual(expect.arrayContaining(['channel', 'eventTypes']));
    const badPatch = await api().patch(`/v1/subscriptions/${uuidv7()}`).auth(pantry.token, auth).send({ language: null, digestTime: '8am' }).expect(400);
    expect(fields(badPatch.body)).toEqual(expect.arrayContaining(['language', 'digestTime']));
    const badCursor = await api().get('/v1/notifications?cursor=nope&limit=0').auth(pantry.token, auth).expect(400);
    expect(fields(badCursor.body)).toEqual(['limit']);
    const badCursorOnly = await api().get('/v1/notifications?cursor=nope').auth(pantry.token, auth).expect(400);
    expect(fields(badCursorOnly.body)).toEqual(['cursor']);
    const badUpTo = await api().post('/v1/notifications/read').auth(pantry.token, auth).send({ upTo: 'x' }).expect(400);
    expect(fields(badUpTo.body)).toEqual(['upTo']);
    const badScope = await api().get('/v1/subscriptions?scope=galaxy').auth(pantry.token, auth).expect(400);
    expect(fields(badScope.body)).toEqual(['scope']);
  }, 60_000);
});
