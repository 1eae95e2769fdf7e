import { DiscloseReply } from '@nwd/contracts';
import { ClientAccess } from './client-access';

const CLIENT = '0190f0a4-0000-7000-8000-0000000000cc';
const ASKED = ['contact', 'demographics', 'notes'] as const;

function reply(allowed: DiscloseReply['decision']['allowed'], withheld: DiscloseReply['decision']['withheld'], client?: DiscloseReply['client']): DiscloseReply {
  return { decision: { permitted: withheld.length === 0, allowed, withheld, consentIds: [] }, ...(client ? { client } : {}) };
}

describe('ClientAccess', () => {
  it('shows what the consent service disclosed, and free text as written, when everything asked is allowed', () => {
    const access = ClientAccess.disclosed(CLIENT, ASKED, reply([...ASKED], [], { id: CLIENT, givenName: 'Rosa', familyName: 'Delgado', phone: '+1 555 010 2000' }));
    expect(access.client).toEqual({ id: CLIENT, givenName: 'Rosa', familyName: 'Delgado', phone: '+1 555 010 2000', withheld: [] });
    expect(access.text('Needs groceries')).toBe('Needs groceries');
    expect(access.notesWithheld).toBeUndefined();
  });

  it('marks each category withheld with the consent service’s reason, and replaces free text by a marker', () => {
    const access = ClientAccess.disclosed(CLIENT, ASKED, reply(['contact'], [{ category: 'notes', reason: 'consent-revoked' }], { id: CLIENT, givenName: 'Rosa' }));
    // demographics was neither allowed nor explained: withheld for want of a consent.
    expect(access.client.withheld).toEqual([{ category: 'demographics', reason: 'no-consent' }]);
    expect(access.text('Needs groceries')).toEqual({ withheld: true, category: 'notes', reason: 'consent-revoked' });
    expect(access.text(null)).toBeNull();
  });

  it('keeps the id alone when nothing personal may be seen', () => {
    const access = ClientAccess.disclosed(CLIENT, ['contact', 'demographics'], reply([], [{ category: 'contact', reason: 'domestic-violence-protection' }]));
    expect(access.client).toEqual({
      id: CLIENT,
      withheld: [
        { category: 'contact', reason: 'domestic-violence-protection' },
        { category: 'demographics', reason: 'no-consent' },
      ],
    });
  });

  it('carries the Part 2 notice the consent service attached', () => {
    const disclosed = reply(['contact'], []);
    disclosed.decision.redisclosureNotice = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';
    expect(ClientAccess.disclosed(CLIENT, ['contact'], disclosed).redisclosureNotice).toMatch(/42 CFR part 2/);
  });

  it('shows a de-identified referral with no id, no identifiers and no free text', () => {
    const access = ClientAccess.deidentified();
    expect(access.client).not.toHaveProperty('id');
    expect(access.client).toEqual({
      deidentified: true,
      withheld: [
        { category: 'contact', reason: 'deidentified' },
        { category: 'demographics', reason: 'deidentified' },
      ],
    });
    expect(access.text('Call me at 555 0100')).toEqual({ withheld: true, category: 'notes', reason: 'deidentified' });
  });
});
