import { DiscloseReply } from '@nwd/contracts';
import { ClientAccess } from './client-access';
import { ReadAccess } from './read-access';

const CLIENT = '0190f0a4-0000-7000-8000-0000000000cc';
const CLINIC = 'org-clinic';
const PROGRAM = 'org-program';
const PANTRY = 'org-pantry';
const NOTICE = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

function reply(allowed: DiscloseReply['decision']['allowed'], redisclosureNotice?: string): DiscloseReply {
  return { decision: { permitted: true, allowed, withheld: [], consentIds: [], ...(redisclosureNotice ? { redisclosureNotice } : {}) }, client: { id: CLIENT, givenName: 'Rosa' } };
}

describe('ReadAccess', () => {
  const person = ClientAccess.disclosed(CLIENT, ['contact', 'demographics'], reply(['contact', 'demographics']));
  const programNotes = ClientAccess.disclosed(CLIENT, ['notes'], { decision: { permitted: false, allowed: [], withheld: [{ category: 'notes', reason: 'substance-use-protection' }], consentIds: [] } });

  it('shows the reader’s own text as written, and each author’s under the decision naming it', () => {
    const access = new ReadAccess(CLINIC, person, new Map([[PROGRAM, programNotes]]));
    expect(access.client).toMatchObject({ id: CLIENT, givenName: 'Rosa', withheld: [] });
    expect(access.textOf(CLINIC, 'our note')).toBe('our note');
    expect(access.textOf(PROGRAM, 'their note')).toEqual({ withheld: true, category: 'notes', reason: 'substance-use-protection' });
    expect(access.textOf(PROGRAM, null)).toBeNull();
    expect(access.textBy(CLINIC)).toBeUndefined();
  });

  it('falls back to the person’s decision for an author asked about with it', () => {
    const withNotes = ClientAccess.disclosed(CLIENT, ['contact', 'demographics', 'notes'], reply(['contact', 'demographics']));
    expect(new ReadAccess(PANTRY, withNotes).textOf(CLINIC, 'the description')).toEqual({ withheld: true, category: 'notes', reason: 'no-consent' });
  });

  it('carries the Part 2 notice when any decision it shows attached one', () => {
    expect(new ReadAccess(CLINIC, person).redisclosureNotice).toBeUndefined();
    const allowedProgram = ClientAccess.disclosed(CLIENT, ['notes'], reply(['notes'], NOTICE));
    expect(new ReadAccess(CLINIC, person, new Map([[PROGRAM, allowedProgram]])).redisclosureNotice).toBe(NOTICE);
  });

  it('fails closed when the consent service could not be asked: the id, nothing else of the person, no others’ text', () => {
    const access = new ReadAccess(CLINIC, ClientAccess.unavailable(CLIENT));
    expect(access.client).toEqual({
      id: CLIENT,
      withheld: [
        { category: 'contact', reason: 'consent-unavailable' },
        { category: 'demographics', reason: 'consent-unavailable' },
      ],
    });
    expect(access.textOf(PANTRY, 'their note')).toEqual({ withheld: true, category: 'notes', reason: 'consent-unavailable' });
    expect(access.textOf(CLINIC, 'our note')).toBe('our note');
  });
});
