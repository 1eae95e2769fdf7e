import { PARTNER_EVENT_TYPES, PartnerEventType, ReferralEventPayload } from '@nwd/contracts';
import { NOTIFICATION_LANGUAGES } from '../subscriptions/subscription-codes';
import { digestMail, MAIL_WORDING, platformAlertMail, referralFacts, referralMail } from './mail-templates';

const referralId = '0190d8a4-5e2b-7c3d-8e4f-a1b2c3d4e5f6';
const link = `https://console.example.org/referrals/${referralId}`;

/** An event as it might arrive if a producer ever slipped personal data into it. */
function eventWithSmuggledPersonalData(): ReferralEventPayload & { dueAt: string } & Record<string, unknown> {
  return {
    referralId,
    senderOrganizationId: '0190d8a4-0000-7000-8000-000000000001',
    receivingOrganizationId: '0190d8a4-0000-7000-8000-000000000002',
    status: 'requested',
    needs: ['food-insecurity'],
    version: 3,
    occurredAt: '2026-03-04T15:00:00Z',
    standard: 'respond',
    dueAt: '2026-03-06T15:00:00Z',
    givenName: 'Rosa',
    familyName: 'Delgado',
    birthDate: '1979-05-14',
    phone: '+1 555 010 2000',
    description: 'Needs groceries this week',
  };
}
const PERSONAL = ['Rosa', 'Delgado', '1979-05-14', '555 010', 'groceries', 'food-insecurity'];

describe('mail templates', () => {
  it.each(NOTIFICATION_LANGUAGES)('in %s: every event type has its own subject, the link, the referral id and no personal data', (language) => {
    const subjects = new Set<string>();
    for (const type of PARTNER_EVENT_TYPES) {
      const mail = referralMail(referralFacts(type, eventWithSmuggledPersonalData()), language, { link, timeZone: 'America/New_York' });
      subjects.add(mail.subject.split(' · ')[0]!);
      expect(mail.text).toContain(link);
      expect(mail.text).toContain(referralId);
      expect(mail.text).toContain(MAIL_WORDING[language].footer);
      for (const value of PERSONAL) {
        expect(mail.subject).not.toContain(value);
        expect(mail.text).not.toContain(value);
      }
    }
    expect(subjects.size).toBe(PARTNER_EVENT_TYPES.length);
  });

  it('words the reminder and the escalation in each language', () => {
    const facts = (type: PartnerEventType) => referralFacts(type, eventWithSmuggledPersonalData());
    const en = referralMail(facts('referral.v1.due-soon'), 'en', { link, timeZone: 'America/New_York' });
    expect(en.subject).toMatch(/^Reminder:/);
    expect(en.text).toContain('respond to the referral');
    expect(en.text).toContain('March 6, 2026');
    const es = referralMail(referralFacts('referral.v1.overdue', eventWithSmuggledPersonalData(), 'escalation'), 'es', { link, timeZone: 'America/New_York' });
    expect(es.subject).toMatch(/^Escalamiento:/);
    expect(es.text).toContain(MAIL_WORDING.es.escalation);
    expect(es.text).toContain('responder a la derivación');
    expect(es.text).toContain('6 de marzo de 2026');
    // The receiver's own missed deadline is a reminder, not an escalation.
    for (const language of NOTIFICATION_LANGUAGES) {
      const missed = referralMail(referralFacts('referral.v1.overdue', eventWithSmuggledPersonalData(), 'reminder'), language, { link, timeZone: 'UTC' });
      expect(missed.subject).toMatch(new RegExp(`^${MAIL_WORDING[language].missedHeadline}`));
      expect(missed.text).toContain(MAIL_WORDING[language].missed);
      expect(missed.text).not.toContain(MAIL_WORDING[language].escalation);
    }
  });

  it('picks only ids, codes and times from an event', () => {
    expect(Object.keys(referralFacts('referral.v1.due-soon', eventWithSmuggledPersonalData())).sort()).toEqual(
      ['dueAt', 'eventType', 'occurredAt', 'purpose', 'referralId', 'standard', 'status', 'version'],
    );
  });

  it.each(NOTIFICATION_LANGUAGES)('in %s: a digest lists every event with its link, and no personal data', (language) => {
    const other = '0190d8a4-5e2b-7c3d-8e4f-000000000099';
    const items = [
      { facts: referralFacts('referral.v1.requested', eventWithSmuggledPersonalData()), link },
      { facts: { ...referralFacts('referral.v1.accepted', eventWithSmuggledPersonalData()), referralId: other }, link: `https://x/${other}` },
    ];
    const mail = digestMail(items, language, { timeZone: 'America/New_York', at: new Date('2026-03-04T13:00:00Z') });
    expect(mail.subject).toContain('2');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain(`https://x/${other}`);
    expect(mail.text).toContain(MAIL_WORDING[language].events['referral.v1.requested']);
    expect(mail.text).toContain(MAIL_WORDING[language].events['referral.v1.accepted']);
    for (const value of PERSONAL) expect(mail.text).not.toContain(value);
  });

  it.each(NOTIFICATION_LANGUAGES)('in %s: a platform alert names what it is about', (language) => {
    const mail = platformAlertMail({ code: 'webhook-endpoint-disabled', subjectId: 'wh_123', link: 'https://api/v1/webhooks/wh_123', dedupeKey: 'k' }, language);
    expect(mail.subject).toContain(MAIL_WORDING[language].alerts['webhook-endpoint-disabled']);
    expect(mail.text).toContain('wh_123');
    expect(mail.text).toContain('https://api/v1/webhooks/wh_123');
  });
});
