import { DATA_CATEGORIES, PART2_REDISCLOSURE_NOTICE } from '@nwd/contracts';
import { ConsentPolicy, ConsentTerms, DecisionQuestion, PartyFacts } from './consent-policy';

const NOW = new Date('2026-12-01T12:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

const referrer: PartyFacts = { organizationId: 'org-referrer', kind: 'health-system', protections: [] };
const cbo: PartyFacts = { organizationId: 'org-cbo', kind: 'cbo', protections: [] };
const shelter: PartyFacts = { organizationId: 'org-shelter', kind: 'cbo', protections: ['domestic-violence'] };
const clinic: PartyFacts = { organizationId: 'org-sud-clinic', kind: 'health-system', protections: ['substance-use'] };

function question(overrides: Partial<DecisionQuestion> = {}): DecisionQuestion {
  return { recipient: cbo, sources: [referrer], registeringOrganizationId: referrer.organizationId, purpose: 'referral', categories: ['contact'], now: NOW, ...overrides };
}

function consent(overrides: Partial<ConsentTerms> = {}): ConsentTerms {
  return {
    id: 'consent-1',
    recipients: [{ organizationId: cbo.organizationId }],
    purposes: ['referral'],
    categories: ['contact', 'demographics'],
    method: 'verbal-attested',
    effectiveFrom: at(-24),
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  };
}

const policy = new ConsentPolicy();
const decide = (q: Partial<DecisionQuestion>, consents: ConsentTerms[]) => policy.decide(question(q), consents);

describe('ConsentPolicy', () => {
  describe('the consent’s own terms', () => {
    it('allows what a consent names, for its recipient and purpose, and relies on it', () => {
      expect(decide({ categories: ['contact', 'demographics'] }, [consent()])).toEqual({
        permitted: true,
        allowed: ['contact', 'demographics'],
        withheld: [],
        consentIds: ['consent-1'],
        ownAccess: false,
      });
    });

    it('withholds a category the consent does not name, as no-consent', () => {
      expect(decide({ categories: ['contact', 'notes'] }, [consent()])).toMatchObject({
        permitted: false,
        allowed: ['contact'],
        withheld: [{ category: 'notes', reason: 'no-consent' }],
      });
    });

    it('withholds for a purpose the consent does not name', () => {
      expect(decide({ purpose: 'care-coordination' }, [consent()]).withheld).toEqual([{ category: 'contact', reason: 'no-consent' }]);
    });

    it('withholds from an organization the consent does not name', () => {
      expect(decide({ recipient: { ...cbo, organizationId: 'org-other' } }, [consent()]).allowed).toEqual([]);
    });

    it('matches any network member, and organizations of the named kind only', () => {
      expect(decide({}, [consent({ recipients: [{ anyMember: true }] })]).allowed).toEqual(['contact']);
      expect(decide({}, [consent({ recipients: [{ organizationKind: 'cbo' }] })]).allowed).toEqual(['contact']);
      expect(decide({}, [consent({ recipients: [{ organizationKind: 'government' }] })]).allowed).toEqual([]);
      // A recipient whose kind the directory could not tell matches no kind.
      expect(decide({ recipient: { ...cbo, kind: undefined } }, [consent({ recipients: [{ organizationKind: 'cbo' }] })]).allowed).toEqual([]);
    });

    it('holds from its start to its end: not before, not at or after the end (expired)', () => {
      expect(decide({}, [consent({ effectiveFrom: at(1) })]).withheld).toEqual([{ category: 'contact', reason: 'no-consent' }]);
      expect(decide({}, [consent({ expiresAt: at(1) })]).allowed).toEqual(['contact']);
      expect(decide({}, [consent({ expiresAt: NOW })]).withheld).toEqual([{ category: 'contact', reason: 'consent-expired' }]);
    });

    it('stops at its revocation, entire or for the recipient, and says so', () => {
      expect(decide({}, [consent({ revokedAt: at(-1) })]).withheld).toEqual([{ category: 'contact', reason: 'consent-revoked' }]);
      expect(decide({}, [consent({ recipients: [{ organizationId: cbo.organizationId, revokedAt: NOW }] })]).withheld).toEqual([
        { category: 'contact', reason: 'consent-revoked' },
      ]);
      // Revoked for another recipient only: still holds for this one.
      const shared = consent({ recipients: [{ organizationId: 'org-other', revokedAt: at(-1) }, { organizationId: cbo.organizationId }] });
      expect(decide({}, [shared]).allowed).toEqual(['contact']);
      // A revocation recorded for later has not happened yet.
      expect(decide({}, [consent({ revokedAt: at(1) })]).allowed).toEqual(['contact']);
    });

    it('relies on another consent when one is revoked, naming only the one relied on', () => {
      const decision = decide({}, [consent({ id: 'old', revokedAt: at(-2) }), consent({ id: 'new' })]);
      expect(decision).toMatchObject({ allowed: ['contact'], consentIds: ['new'] });
    });
  });

  describe('network default policy', () => {
    it('releases only the needs with no consent, by default', () => {
      expect(decide({ categories: [...DATA_CATEGORIES] }, [])).toMatchObject({
        allowed: ['needs-and-screening'],
        consentIds: [],
        withheld: DATA_CATEGORIES.filter((c) => c !== 'needs-and-screening').map((category) => ({ category, reason: 'no-consent' })),
      });
    });

    it('releases what the network configured, but never a sensitive category', () => {
      const generous = new ConsentPolicy({ withoutConsent: ['needs-and-screening', 'contact', 'substance-use'] });
      expect(generous.decide(question({ categories: ['contact', 'substance-use'] }), []).allowed).toEqual(['contact']);
    });
  });

  describe('the registering organization', () => {
    it('reads its own client without a consent, and that is not a disclosure', () => {
      expect(decide({ recipient: referrer, categories: ['contact', 'substance-use'] }, [])).toEqual({
        permitted: true,
        allowed: ['contact', 'substance-use'],
        withheld: [],
        consentIds: [],
        ownAccess: true,
      });
    });

    it('needs consent for another organization’s records about its client', () => {
      expect(decide({ recipient: referrer, sources: [referrer, cbo], categories: ['notes'] }, []).ownAccess).toBe(false);
    });
  });

  describe('what goes back to the referrer (closing the loop)', () => {
    const backToReferrer = { recipient: referrer, sources: [cbo], toReferrer: true, categories: ['notes' as const] };

    it('lets a receiver’s notes reach the organization that referred the client without a consent of their own, as a disclosure', () => {
      expect(decide(backToReferrer, [])).toEqual({ permitted: true, allowed: ['notes'], withheld: [], consentIds: [], ownAccess: false });
      // Not for anyone else, and not a sensitive category.
      expect(decide({ ...backToReferrer, toReferrer: undefined }, []).withheld).toEqual([{ category: 'notes', reason: 'no-consent' }]);
      expect(decide({ ...backToReferrer, categories: ['notes', 'behavioral-health'] }, []).withheld).toEqual([{ category: 'behavioral-health', reason: 'no-consent' }]);
    });

    it('asks a consent naming the referrer for a Part 2 program’s notes, and sends the notice with them', () => {
      const fromProgram = { ...backToReferrer, sources: [clinic] };
      expect(decide(fromProgram, []).withheld).toEqual([{ category: 'notes', reason: 'no-consent' }]);
      const namingReferrer = consent({ recipients: [{ organizationId: referrer.organizationId }], categories: ['notes'] });
      expect(decide(fromProgram, [namingReferrer])).toMatchObject({ allowed: ['notes'], consentIds: ['consent-1'], redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
      expect(decide(fromProgram, [{ ...namingReferrer, recipients: [{ anyMember: true }] }]).withheld).toEqual([{ category: 'notes', reason: 'substance-use-protection' }]);
    });

    it('asks a signed, time-limited consent naming the referrer for a DV program’s notes', () => {
      const fromShelter = { ...backToReferrer, sources: [shelter] };
      expect(decide(fromShelter, []).allowed).toEqual([]);
      const signed = consent({ recipients: [{ organizationId: referrer.organizationId }], categories: ['notes'], method: 'written', expiresAt: at(24) });
      expect(decide(fromShelter, [signed]).allowed).toEqual(['notes']);
    });
  });

  describe('domestic violence (VAWA)', () => {
    const signed = consent({ recipients: [{ organizationId: shelter.organizationId }], method: 'written', expiresAt: at(24 * 30) });

    it('lets identifying data reach a DV program only under a written or e-signed, time-limited consent naming it', () => {
      expect(decide({ recipient: shelter, categories: ['contact', 'demographics'] }, [signed]).allowed).toEqual(['contact', 'demographics']);
      expect(decide({ recipient: shelter }, [{ ...signed, method: 'electronic-signature' }]).allowed).toEqual(['contact']);
    });

    it.each([
      ['verbal', { method: 'verbal-attested' as const, attestedBy: 'x' }],
      ['open-ended', { expiresAt: null }],
      ['any member', { recipients: [{ anyMember: true }] }],
      ['by kind', { recipients: [{ organizationKind: 'cbo' as const }] }],
    ])('refuses a %s consent for a DV program, with the DV reason shown to the program', (_label, change) => {
      expect(decide({ recipient: shelter }, [{ ...signed, ...change }]).withheld).toEqual([{ category: 'contact', reason: 'domestic-violence-protection' }]);
    });

    it('keeps identifying data from leaving a DV program the same way, without telling the reader why', () => {
      const verbal = consent({ method: 'verbal-attested', expiresAt: at(24) });
      expect(decide({ sources: [shelter], registeringOrganizationId: shelter.organizationId }, [verbal]).withheld).toEqual([{ category: 'contact', reason: 'no-consent' }]);
      const named = consent({ method: 'written', expiresAt: at(24) });
      expect(decide({ sources: [shelter], registeringOrganizationId: shelter.organizationId }, [named]).allowed).toEqual(['contact']);
    });

    it('still lets the needs flow de-identified to a DV program', () => {
      expect(decide({ recipient: shelter, categories: ['needs-and-screening', 'contact'] }, [])).toMatchObject({ allowed: ['needs-and-screening'] });
    });
  });

  describe('substance use (42 CFR Part 2)', () => {
    const fromClinic = { sources: [clinic], registeringOrganizationId: referrer.organizationId };
    const named = consent({ categories: ['notes', 'substance-use', 'needs-and-screening'] });

    it('discloses a Part 2 program’s records only under a consent naming the recipient, with the notice', () => {
      expect(decide({ ...fromClinic, categories: ['notes', 'substance-use'] }, [named])).toMatchObject({
        allowed: ['notes', 'substance-use'],
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      expect(decide({ ...fromClinic, categories: ['notes'] }, [{ ...named, recipients: [{ anyMember: true }] }]).withheld).toEqual([
        { category: 'notes', reason: 'substance-use-protection' },
      ]);
    });

    it('releases not even the needs of a Part 2 program without consent (the fact of its service)', () => {
      expect(decide({ ...fromClinic, categories: ['needs-and-screening'] }, []).allowed).toEqual([]);
    });

    it('never carries them through a forward, consent or not', () => {
      const decision = decide({ ...fromClinic, categories: ['notes', 'needs-and-screening'], channel: 'forward' }, [named]);
      expect(decision).toMatchObject({ allowed: [], consentIds: [] });
      expect(decision.withheld.every((w) => w.reason === 'substance-use-protection')).toBe(true);
      expect(decision.redisclosureNotice).toBeUndefined();
    });

    it('does not restrict what reaches a Part 2 program, nor the program reading its own records', () => {
      expect(decide({ recipient: { ...clinic }, categories: ['contact'] }, [consent({ recipients: [{ anyMember: true }] })]).allowed).toEqual(['contact']);
      expect(decide({ recipient: clinic, sources: [clinic], registeringOrganizationId: clinic.organizationId, categories: ['notes'] }, []).ownAccess).toBe(true);
    });
  });
});
