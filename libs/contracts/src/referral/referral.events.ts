import { ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../contract';
import { PLATFORM_STANDARDS, PlatformStandard, REFERRAL_OUTCOMES, REFERRAL_STATUSES, ReferralOutcome, ReferralStatus, SDOH_NEEDS, SdohNeed } from './referral.codes';

/**
 * Every referral event carries the same facts: ids, codes, the version and the time — never the
 * client's personal data. Partners fetch details through the authorized API.
 * `version` is the referral's version after the change, so a consumer can order and de-duplicate per referral.
 */
export class ReferralFacts {
  @IsUUID() referralId!: string;
  @IsUUID() senderOrganizationId!: string;
  @IsUUID() receivingOrganizationId!: string;
  @IsIn(REFERRAL_STATUSES) status!: ReferralStatus;
  @IsArray() @ArrayMinSize(1) @IsIn(SDOH_NEEDS, { each: true }) needs!: SdohNeed[];
  @IsOptional() @IsIn(REFERRAL_OUTCOMES) outcome?: ReferralOutcome;
  @IsInt() @Min(1) version!: number;
  @IsISO8601() occurredAt!: string;
  /** On `forwarded`: the new referral the original was forwarded as. */
  @IsOptional() @IsUUID() forwardedToReferralId?: string;
  /** On `requested` of a forwarded referral: the referral it came from. */
  @IsOptional() @IsUUID() forwardedFromReferralId?: string;
  /** On `forwarded`: the organization it was forwarded to. */
  @IsOptional() @IsUUID() forwardedToOrganizationId?: string;
  /** On `outcome-known`: when the receiver learned the outcome (the close-within clock starts there). */
  @IsOptional() @IsISO8601() outcomeKnownAt?: string;
}

/** The loop's events. */
export class ReferralEventPayload extends ReferralFacts {
  /** On `exception-noted`: the platform standard the exception note explains (its text stays in the API). */
  @IsOptional() @IsIn(PLATFORM_STANDARDS) standard?: PlatformStandard;
}

/**
 * A time-driven event: which standard's deadline, when it falls, and the referral's version it was
 * reckoned for — each fires once per referral, standard, deadline and version.
 */
export class ReferralDeadlinePayload extends ReferralFacts {
  // Not an override of the loop events' optional one: class-validator would keep its IsOptional.
  @IsIn(PLATFORM_STANDARDS) standard!: PlatformStandard;
  @IsISO8601() dueAt!: string;
}

/** The referral loop on stream REFERRAL, subjects `referral.v1.<type>`. */
export const ReferralEvents = {
  requested: defineEvent('referral.v1.requested', 'REFERRAL', ReferralEventPayload),
  accepted: defineEvent('referral.v1.accepted', 'REFERRAL', ReferralEventPayload),
  rejected: defineEvent('referral.v1.rejected', 'REFERRAL', ReferralEventPayload),
  forwarded: defineEvent('referral.v1.forwarded', 'REFERRAL', ReferralEventPayload),
  inProgress: defineEvent('referral.v1.in-progress', 'REFERRAL', ReferralEventPayload),
  onHold: defineEvent('referral.v1.on-hold', 'REFERRAL', ReferralEventPayload),
  completed: defineEvent('referral.v1.completed', 'REFERRAL', ReferralEventPayload),
  failed: defineEvent('referral.v1.failed', 'REFERRAL', ReferralEventPayload),
  cancelled: defineEvent('referral.v1.cancelled', 'REFERRAL', ReferralEventPayload),
  noteAdded: defineEvent('referral.v1.note-added', 'REFERRAL', ReferralEventPayload),
  contactAttempted: defineEvent('referral.v1.contact-attempted', 'REFERRAL', ReferralEventPayload),
  /** Not in the loop itself, but what compliance reporting built from events needs to judge a breach. */
  exceptionNoted: defineEvent('referral.v1.exception-noted', 'REFERRAL', ReferralEventPayload),
  outcomeKnown: defineEvent('referral.v1.outcome-known', 'REFERRAL', ReferralEventPayload),
  /** The receiver lost access to the client's data: the consent it relied on was revoked or expired. */
  consentRevoked: defineEvent('referral.v1.consent-revoked', 'REFERRAL', ReferralEventPayload),
  /** A platform-standard deadline is near (the referral service's persisted schedule): a reminder to the receiver. */
  dueSoon: defineEvent('referral.v1.due-soon', 'REFERRAL', ReferralDeadlinePayload),
  /** A platform standard was breached, or the case went stale: an escalation to the sender and the network admins. */
  overdue: defineEvent('referral.v1.overdue', 'REFERRAL', ReferralDeadlinePayload),
} as const;

/** The event announcing that a referral entered a status (the `requested` event is written at creation). */
export const REFERRAL_STATUS_EVENTS = {
  requested: ReferralEvents.requested,
  accepted: ReferralEvents.accepted,
  rejected: ReferralEvents.rejected,
  'in-progress': ReferralEvents.inProgress,
  'on-hold': ReferralEvents.onHold,
  completed: ReferralEvents.completed,
  failed: ReferralEvents.failed,
  cancelled: ReferralEvents.cancelled,
} as const satisfies Record<ReferralStatus, unknown>;
