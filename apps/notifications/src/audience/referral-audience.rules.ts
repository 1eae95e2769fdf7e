import { PartnerEventType, ReferralEventPayload, ReferralEvents } from '@nwd/contracts';

/**
 * How an organization is party to a referral event:
 * - `sender` / `receiver`: of the referral the event is about;
 * - `forwarded-to`: on `referral.v1.forwarded`, the organization the referral went on to;
 * - `forward-chain`: the organizations of the referrals this one was forwarded from, so the
 *   original sender sees the loop close.
 */
export const AUDIENCE_ROLES = ['receiver', 'sender', 'forwarded-to', 'forward-chain'] as const;
export type AudienceRole = (typeof AUDIENCE_ROLES)[number];

/**
 * Why it is told: `notice` (the loop moved), `reminder` (a platform-standard deadline of yours is
 * near or passed), `escalation` (a deadline of a referral you sent, or oversee, was missed).
 */
export const AUDIENCE_PURPOSES = ['notice', 'reminder', 'escalation'] as const;
export type AudiencePurpose = (typeof AUDIENCE_PURPOSES)[number];

export interface AudienceMember {
  organizationId: string;
  /** Every role it holds, strongest first (`AUDIENCE_ROLES` order): `roles[0]` is the one to address it by. */
  roles: AudienceRole[];
  /** The strongest reason it is told, when it holds several roles. */
  purpose: AudiencePurpose;
}

export interface Audience {
  /** One entry per organization, in `AUDIENCE_ROLES` order of their first role. */
  organizations: AudienceMember[];
  /**
   * Whether the network admins are told as well (an escalation). They are not an organization:
   * network admin is a role an API client holds (`network-admin` in its tokens, libs/auth
   * `isNetworkAdmin`), so each channel finds its own way to them (the clients holding that role,
   * their subscriptions) rather than an organization id standing for them.
   */
  networkAdmins: boolean;
}

/** What the audience needs to know of a referral beyond its event: the organizations upstream of it. */
export interface ReferralParties {
  referralId: string;
  senderOrganizationId: string;
  receivingOrganizationId: string;
  forwardedFromReferralId: string | null;
  /** The organizations of the referrals it was forwarded from, the original sender first. */
  forwardChainOrganizationIds: string[];
}

type Candidate = { organizationId: string; role: AudienceRole; purpose: AudiencePurpose };

/** Who a referral event is for. Pure: the caller supplies the referral's recorded parties. */
export const ReferralAudienceRules = {
  /**
   * The parties of a referral, from one of its events and the parties of the referral it was
   * forwarded from (undefined when unknown: a forward chain can only grow from what was recorded).
   */
  partiesOf(event: ReferralEventPayload, forwardedFrom: ReferralParties | undefined): ReferralParties {
    const upstream = forwardedFrom
      ? [...forwardedFrom.forwardChainOrganizationIds, forwardedFrom.senderOrganizationId, forwardedFrom.receivingOrganizationId]
      : [];
    const own = new Set([event.senderOrganizationId, event.receivingOrganizationId]);
    return {
      referralId: event.referralId,
      senderOrganizationId: event.senderOrganizationId,
      receivingOrganizationId: event.receivingOrganizationId,
      forwardedFromReferralId: event.forwardedFromReferralId ?? null,
      forwardChainOrganizationIds: [...new Set(upstream)].filter((id) => !own.has(id)),
    };
  },

  audienceOf(type: PartnerEventType, event: ReferralEventPayload, parties: ReferralParties | undefined): Audience {
    const sender = event.senderOrganizationId;
    const receiver = event.receivingOrganizationId;
    if (type === ReferralEvents.dueSoon.subject) {
      return collect([{ organizationId: receiver, role: 'receiver', purpose: 'reminder' }], false);
    }
    if (type === ReferralEvents.overdue.subject) {
      return collect(
        [
          { organizationId: receiver, role: 'receiver', purpose: 'reminder' },
          { organizationId: sender, role: 'sender', purpose: 'escalation' },
        ],
        true,
      );
    }
    const candidates: Candidate[] = [
      { organizationId: receiver, role: 'receiver', purpose: 'notice' },
      { organizationId: sender, role: 'sender', purpose: 'notice' },
    ];
    if (type === ReferralEvents.forwarded.subject && event.forwardedToOrganizationId) {
      candidates.push({ organizationId: event.forwardedToOrganizationId, role: 'forwarded-to', purpose: 'notice' });
    }
    for (const organizationId of parties?.forwardChainOrganizationIds ?? []) {
      candidates.push({ organizationId, role: 'forward-chain', purpose: 'notice' });
    }
    return collect(candidates, false);
  },
} as const;

function collect(candidates: Candidate[], networkAdmins: boolean): Audience {
  const byOrganization = new Map<string, AudienceMember>();
  for (const { organizationId, role, purpose } of candidates) {
    const member = byOrganization.get(organizationId);
    if (!member) {
      byOrganization.set(organizationId, { organizationId, roles: [role], purpose });
      continue;
    }
    if (!member.roles.includes(role)) member.roles.push(role);
    member.roles.sort((a, b) => AUDIENCE_ROLES.indexOf(a) - AUDIENCE_ROLES.indexOf(b));
    if (AUDIENCE_PURPOSES.indexOf(purpose) > AUDIENCE_PURPOSES.indexOf(member.purpose)) member.purpose = purpose;
  }
  const organizations = [...byOrganization.values()].sort((a, b) => AUDIENCE_ROLES.indexOf(a.roles[0]!) - AUDIENCE_ROLES.indexOf(b.roles[0]!));
  return { organizations, networkAdmins };
}
