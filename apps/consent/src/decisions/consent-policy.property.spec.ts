import fc from 'fast-check';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  ConsentPurpose,
  DATA_CATEGORIES,
  DataCategory,
  DISCLOSURE_CHANNELS,
  ORGANIZATION_KINDS,
  PART2_REDISCLOSURE_NOTICE,
} from '@nwd/contracts';
import { ConsentPolicy, ConsentTerms, DecisionQuestion, NetworkDefaultPolicy, PartyFacts, RecipientRule } from './consent-policy';

/**
 * Must show #1: for random consent sets, revocations, expiries and requests, nothing is disclosed
 * outside the granted recipients, purposes, categories and time window, and the DV and Part 2
 * rules always hold. Checked against the oracle below — the rules as the issue states them,
 * written out category by category without the implementation's shortcuts — and against
 * safety properties that look only at what was allowed and the consents it relied on.
 */

const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'];
const T0 = Date.UTC(2026, 11, 1);
const HOUR = 3_600_000;
const instant = fc.integer({ min: 0, max: 12 }).map((h) => new Date(T0 + h * HOUR));
const subset = <T>(values: readonly T[]) => fc.subarray([...values]);

const party: fc.Arbitrary<PartyFacts> = fc.record({
  organizationId: fc.constantFrom(...ORGS),
  kind: fc.option(fc.constantFrom(...ORGANIZATION_KINDS), { nil: undefined }),
  protections: subset(['domestic-violence', 'substance-use'] as const),
});

const rule: fc.Arbitrary<RecipientRule> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(...ORGS).map((organizationId) => ({ organizationId })),
      fc.constant({ anyMember: true }),
      fc.constantFrom(...ORGANIZATION_KINDS).map((organizationKind) => ({ organizationKind })),
    ),
    fc.option(instant, { nil: null }),
  )
  .map(([form, revokedAt]) => ({ ...form, revokedAt }));

const consent: fc.Arbitrary<ConsentTerms> = fc
  .record({
    id: fc.uuid(),
    recipients: fc.array(rule, { minLength: 1, maxLength: 3 }),
    purposes: fc.subarray([...CONSENT_PURPOSES], { minLength: 1 }),
    categories: fc.subarray([...DATA_CATEGORIES], { minLength: 1 }),
    method: fc.constantFrom(...CONSENT_METHODS),
    effectiveFrom: instant,
    lasts: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    revokedAt: fc.option(instant, { nil: null }),
  })
  .map(({ lasts, ...terms }) => ({ ...terms, expiresAt: lasts === null ? null : new Date(terms.effectiveFrom.getTime() + lasts * HOUR) }));

const scenario = fc.record({
  recipient: party,
  sources: fc.array(party, { maxLength: 2 }),
  registeringOrganizationId: fc.constantFrom(...ORGS),
  purpose: fc.constantFrom(...CONSENT_PURPOSES),
  categories: fc.subarray([...DATA_CATEGORIES], { minLength: 1 }),
  channel: fc.option(fc.constantFrom(...DISCLOSURE_CHANNELS), { nil: undefined }),
  now: instant,
  consents: fc.array(consent, { maxLength: 5 }),
  network: subset(DATA_CATEGORIES).map((withoutConsent): NetworkDefaultPolicy => ({ withoutConsent })),
});

type Scenario = DecisionQuestion & { consents: ConsentTerms[]; network: NetworkDefaultPolicy };

/** Does consent `k` hold at `t` for recipient `r`, purpose `p` and category `c` — the plain reading of its terms? */
function holds(k: ConsentTerms, r: PartyFacts, p: ConsentPurpose, c: DataCategory, t: number): { covers: boolean; namesRecipient: boolean } {
  const started = k.effectiveFrom.getTime() <= t;
  const notEnded = k.expiresAt === null || t < k.expiresAt.getTime();
  const notRevoked = k.revokedAt === null || t < k.revokedAt.getTime();
  const live = k.recipients.filter((x) => x.revokedAt == null || t < x.revokedAt.getTime());
  const namesRecipient = live.some((x) => x.organizationId === r.organizationId);
  const reaches = namesRecipient || live.some((x) => x.anyMember === true) || live.some((x) => x.organizationKind !== undefined && x.organizationKind === r.kind);
  return { covers: started && notEnded && notRevoked && reaches && k.purposes.includes(p) && k.categories.includes(c), namesRecipient };
}

function oracle(s: Scenario): Set<DataCategory> {
  const me = s.recipient.organizationId;
  if (me === s.registeringOrganizationId && s.sources.every((x) => x.organizationId === me)) return new Set(s.categories);
  const t = s.now.getTime();
  const dv = [s.recipient, ...s.sources].some((x) => x.protections.includes('domestic-violence'));
  const part2 = s.sources.some((x) => x.organizationId !== me && x.protections.includes('substance-use'));
  const allowed = new Set<DataCategory>();
  for (const c of s.categories) {
    if (part2 && s.channel === 'forward') continue;
    const identifying = c !== 'needs-and-screening';
    const sensitive = c === 'behavioral-health' || c === 'substance-use' || c === 'domestic-violence';
    if (!part2 && !(dv && identifying) && !sensitive && s.network.withoutConsent.includes(c)) {
      allowed.add(c);
      continue;
    }
    for (const k of s.consents) {
      const { covers, namesRecipient } = holds(k, s.recipient, s.purpose, c, t);
      if (!covers) continue;
      if (part2 && !namesRecipient) continue;
      if (dv && identifying && !(namesRecipient && k.expiresAt !== null && (k.method === 'written' || k.method === 'electronic-signature'))) continue;
      allowed.add(c);
      break;
    }
  }
  return allowed;
}

const run = (s: Scenario) => new ConsentPolicy(s.network).decide(s, s.consents);
const PARAMS = { numRuns: 1500 };

describe('ConsentPolicy properties', () => {
  it('allows exactly what the oracle allows, and withholds the rest', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const decision = run(s);
        expect(new Set(decision.allowed)).toEqual(oracle(s));
        const requested = new Set(s.categories);
        expect(new Set([...decision.allowed, ...decision.withheld.map((w) => w.category)])).toEqual(requested);
        expect(decision.allowed.length + decision.withheld.length).toBe(requested.size);
        expect(decision.permitted).toBe(decision.withheld.length === 0);
      }),
      PARAMS,
    );
  });

  it('relies only on consents that hold for recipient, purpose, an allowed category and the moment', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const decision = run(s);
        const t = s.now.getTime();
        for (const id of decision.consentIds) {
          const k = s.consents.find((x) => x.id === id)!;
          expect(decision.allowed.some((c) => holds(k, s.recipient, s.purpose, c, t).covers)).toBe(true);
        }
        // Anything beyond the network's release and the recipient's own records rests on a consent.
        if (!decision.ownAccess) {
          for (const c of decision.allowed) {
            const relied = decision.consentIds.some((id) => holds(s.consents.find((x) => x.id === id)!, s.recipient, s.purpose, c, t).covers);
            expect(relied || s.network.withoutConsent.includes(c)).toBe(true);
          }
        }
      }),
      PARAMS,
    );
  });

  it('never lets identifying data reach or leave a DV program but under a signed, time-limited consent naming the recipient', () => {
    const dvScenario = scenario.filter((s) => [s.recipient, ...s.sources].some((x) => x.protections.includes('domestic-violence')));
    fc.assert(
      fc.property(dvScenario, (s) => {
        const decision = run(s);
        if (decision.ownAccess) return;
        const t = s.now.getTime();
        for (const c of decision.allowed.filter((x) => x !== 'needs-and-screening')) {
          const qualifying = s.consents.some((k) => {
            const { covers, namesRecipient } = holds(k, s.recipient, s.purpose, c, t);
            return covers && namesRecipient && k.expiresAt !== null && k.method !== 'verbal-attested';
          });
          expect(qualifying).toBe(true);
        }
      }),
      PARAMS,
    );
  });

  it('discloses a Part 2 program’s records only under a consent naming the recipient, with the notice, never by forward', () => {
    const part2Scenario = scenario.filter((s) => s.sources.some((x) => x.organizationId !== s.recipient.organizationId && x.protections.includes('substance-use')));
    fc.assert(
      fc.property(part2Scenario, (s) => {
        const decision = run(s);
        if (s.channel === 'forward') expect(decision.allowed).toEqual([]);
        expect(decision.redisclosureNotice).toBe(decision.allowed.length ? PART2_REDISCLOSURE_NOTICE : undefined);
        const t = s.now.getTime();
        for (const c of decision.allowed) {
          expect(s.consents.some((k) => holds(k, s.recipient, s.purpose, c, t).covers && holds(k, s.recipient, s.purpose, c, t).namesRecipient)).toBe(true);
        }
      }),
      PARAMS,
    );
  });

  it('never releases a sensitive category without a consent, whatever the network policy', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const decision = run(s);
        if (decision.ownAccess) return;
        const t = s.now.getTime();
        for (const c of decision.allowed.filter((x) => x === 'behavioral-health' || x === 'substance-use' || x === 'domestic-violence')) {
          expect(s.consents.some((k) => holds(k, s.recipient, s.purpose, c, t).covers)).toBe(true);
        }
      }),
      PARAMS,
    );
  });

  it('takes a revocation or an expiry at once: from that instant on, the consent allows nothing', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 12 }), (s, later) => {
        const [first] = s.consents;
        if (!first) return;
        const end = new Date(T0 + later * HOUR);
        const revoked = { ...s, consents: [{ ...first, revokedAt: end }], now: end };
        const expired = { ...s, consents: [{ ...first, expiresAt: end, effectiveFrom: new Date(Math.min(first.effectiveFrom.getTime(), end.getTime() - HOUR)) }], now: end };
        for (const variant of [revoked, expired]) expect(run(variant).consentIds).toEqual([]);
      }),
      PARAMS,
    );
  });
});
