import {
  ConsentMethod,
  ConsentPurpose,
  DataCategory,
  DisclosureChannel,
  IDENTIFYING_DATA_CATEGORIES,
  OrganizationKind,
  OrganizationProtection,
  PART2_REDISCLOSURE_NOTICE,
  SENSITIVE_DATA_CATEGORIES,
  WithholdingReason,
} from '@nwd/contracts';

/** One recipient of a consent, as stored: exactly one of the three forms, revocable on its own. */
export interface RecipientRule {
  organizationId?: string;
  anyMember?: boolean;
  organizationKind?: OrganizationKind;
  revokedAt?: Date | null;
}

/** A consent as the policy needs it: what it allows, to whom, how it was given and when it holds. */
export interface ConsentTerms {
  id: string;
  recipients: RecipientRule[];
  purposes: ConsentPurpose[];
  categories: DataCategory[];
  method: ConsentMethod;
  effectiveFrom: Date;
  expiresAt: Date | null;
  /** Revoked entirely at this instant. */
  revokedAt: Date | null;
}

export interface PartyFacts {
  organizationId: string;
  /** Unknown when the directory could not say: then no `organizationKind` rule matches it. */
  kind?: OrganizationKind;
  protections: readonly OrganizationProtection[];
}

/** What network policy lets a disclosure carry with no consent on file. */
export interface NetworkDefaultPolicy {
  withoutConsent: readonly DataCategory[];
}

/** Conservative: the needs alone, nothing that identifies the person. */
export const CONSERVATIVE_NETWORK_POLICY: NetworkDefaultPolicy = { withoutConsent: ['needs-and-screening'] };

export interface DecisionQuestion {
  recipient: PartyFacts;
  /** Organizations whose records the disclosure carries (DV and Part 2 look at them). */
  sources: readonly PartyFacts[];
  /** The organization that registered the client: its own reads are not disclosures. */
  registeringOrganizationId: string;
  purpose: ConsentPurpose;
  categories: readonly DataCategory[];
  channel?: DisclosureChannel;
  /**
   * The recipient referred the client (it sent the referral read, or the first of its forward
   * chain) and reads what the organizations it referred them to wrote back: closing the loop.
   */
  toReferrer?: boolean;
  now: Date;
}

export interface PolicyDecision {
  permitted: boolean;
  allowed: DataCategory[];
  withheld: { category: DataCategory; reason: WithholdingReason }[];
  consentIds: string[];
  redisclosureNotice?: string;
  /** The recipient reads its own records: nothing is disclosed, so nothing is accounted for. */
  ownAccess: boolean;
}

const IDENTIFYING: ReadonlySet<DataCategory> = new Set(IDENTIFYING_DATA_CATEGORIES);
const SENSITIVE: ReadonlySet<DataCategory> = new Set(SENSITIVE_DATA_CATEGORIES);
const SIGNED_METHODS: ReadonlySet<ConsentMethod> = new Set(['written', 'electronic-signature']);

/** Why a consent does not cover a request, most telling first (a covering consent has none). */
type Shortfall = 'none' | 'protection' | 'revoked' | 'expired' | 'unrelated';

/**
 * Decides what of a client's data may go to a recipient now, over plain facts: the client's
 * consents, the parties' kinds and protections, network policy and the time. No I/O, no clock.
 *
 * A category is allowed when it is the recipient's own record, when network policy releases it
 * and no protection forbids that, or when a consent covers recipient, purpose, category and the
 * moment. Domestic violence (VAWA) — the recipient or a source is a DV program — asks more of an
 * identifying category's consent: written or e-signed, with an end date, naming the recipient by
 * organization. 42 CFR Part 2 — a source is a substance-use program — asks that every category be
 * under a consent naming the recipient by organization, never through a forward, and the notice
 * prohibiting redisclosure travels with what is allowed. What organizations write back to the
 * client's referrer closes the loop and needs no consent of its own — unless a DV or Part 2
 * program wrote it, or it is a sensitive category.
 */
export class ConsentPolicy {
  constructor(private readonly network: NetworkDefaultPolicy = CONSERVATIVE_NETWORK_POLICY) {}

  decide(question: DecisionQuestion, consents: readonly ConsentTerms[]): PolicyDecision {
    const categories = [...new Set(question.categories)];
    if (ConsentPolicy.isOwnAccess(question)) {
      return { permitted: true, allowed: categories, withheld: [], consentIds: [], ownAccess: true };
    }
    const dvParty = ConsentPolicy.domesticViolenceParty(question);
    const part2 = question.sources.some((s) => s.organizationId !== question.recipient.organizationId && s.protections.includes('substance-use'));
    // What a referred-to organization writes back reaches its referrer with the referral itself, unless a protected program wrote it.
    const loopClosure = question.toReferrer === true && !part2 && !dvParty;
    const allowed: DataCategory[] = [];
    const withheld: PolicyDecision['withheld'] = [];
    const consentIds = new Set<string>();
    for (const category of categories) {
      const protectedByDv = dvParty && IDENTIFYING.has(category);
      if (part2 && question.channel === 'forward') {
        withheld.push({ category, reason: 'substance-use-protection' });
        continue;
      }
      if (!part2 && !protectedByDv && (this.releasedByNetwork(category) || (loopClosure && !SENSITIVE.has(category)))) {
        allowed.push(category);
        continue;
      }
      let best: Shortfall = 'unrelated';
      let relied: string | undefined;
      for (const consent of consents) {
        const shortfall = this.shortfall(consent, question, category, protectedByDv, part2);
        if (shortfall === 'none') {
          relied = consent.id;
          break;
        }
        if (RANK[shortfall] < RANK[best]) best = shortfall;
      }
      if (relied) {
        allowed.push(category);
        consentIds.add(relied);
      } else {
        withheld.push({ category, reason: this.reason(best, question, protectedByDv, part2) });
      }
    }
    return {
      permitted: withheld.length === 0,
      allowed,
      withheld,
      consentIds: [...consentIds],
      ...(part2 && allowed.length ? { redisclosureNotice: PART2_REDISCLOSURE_NOTICE } : {}),
      ownAccess: false,
    };
  }

  /** The registering organization reading what only it holds. */
  static isOwnAccess(question: Pick<DecisionQuestion, 'recipient' | 'sources' | 'registeringOrganizationId'>): boolean {
    const self = question.recipient.organizationId;
    return self === question.registeringOrganizationId && question.sources.every((s) => s.organizationId === self);
  }

  /** A DV program receives, or its records are carried: VAWA's stricter consent applies. */
  static domesticViolenceParty(question: Pick<DecisionQuestion, 'recipient' | 'sources'>): boolean {
    return question.recipient.protections.includes('domestic-violence') || question.sources.some((s) => s.protections.includes('domestic-violence'));
  }

  private releasedByNetwork(category: DataCategory): boolean {
    // Sensitive categories are never released by policy, whatever the configuration says.
    return !SENSITIVE.has(category) && this.network.withoutConsent.includes(category);
  }

  private shortfall(consent: ConsentTerms, question: DecisionQuestion, category: DataCategory, protectedByDv: boolean, part2: boolean): Shortfall {
    if (!consent.categories.includes(category) || !consent.purposes.includes(question.purpose)) return 'unrelated';
    const rules = consent.recipients.filter((rule) => matches(rule, question.recipient));
    if (!rules.length) return 'unrelated';
    const now = question.now.getTime();
    if (consent.effectiveFrom.getTime() > now) return 'unrelated';
    if (consent.revokedAt && consent.revokedAt.getTime() <= now) return 'revoked';
    const live = rules.filter((rule) => !rule.revokedAt || rule.revokedAt.getTime() > now);
    if (!live.length) return 'revoked';
    if (consent.expiresAt && consent.expiresAt.getTime() <= now) return 'expired';
    const named = live.some((rule) => rule.organizationId === question.recipient.organizationId);
    if (part2 && !named) return 'protection';
    if (protectedByDv && !(named && SIGNED_METHODS.has(consent.method) && consent.expiresAt)) return 'protection';
    return 'none';
  }

  private reason(shortfall: Shortfall, question: DecisionQuestion, protectedByDv: boolean, part2: boolean): WithholdingReason {
    if (shortfall === 'revoked') return 'consent-revoked';
    if (shortfall === 'expired') return 'consent-expired';
    if (part2 && shortfall === 'protection') return 'substance-use-protection';
    // Naming DV to a reader that is not itself the DV program would tell it the person is known to one.
    if (protectedByDv && question.recipient.protections.includes('domestic-violence')) return 'domestic-violence-protection';
    return 'no-consent';
  }
}

const RANK: Record<Shortfall, number> = { none: 0, protection: 1, revoked: 2, expired: 3, unrelated: 4 };

function matches(rule: RecipientRule, recipient: PartyFacts): boolean {
  if (rule.organizationId) return rule.organizationId === recipient.organizationId;
  if (rule.anyMember) return true;
  return rule.organizationKind !== undefined && rule.organizationKind === recipient.kind;
}
