import { v7 as uuidv7 } from 'uuid';
import { Actor } from '@nwd/auth';
import { ReferralEventPayload } from '@nwd/contracts';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';
import { newReferralReference } from './referral-reference';

/** What the sender decides about a new referral; the rest starts the same for every one. */
export type NewReferralFields = Pick<
  Referral,
  | 'chainId'
  | 'clientId'
  | 'receivingOrganizationId'
  | 'partyOrganizationIds'
  | 'receivingServiceId'
  | 'needs'
  | 'urgency'
  | 'description'
  | 'forwardedFromId'
  | 'deidentified'
  | 'consentIds'
>;

export type TimelineFields = Partial<ReferralTimelineEntry> & Pick<ReferralTimelineEntry, 'kind'>;

/** New rows as the referral service writes them: ids, defaults and who wrote them, in one place. */
export const ReferralFactory = {
  /**
   * A requested referral from the actor; the first of a chain when `chainId` is not given. Due
   * dates are reckoned after. Its `id` may be chosen beforehand (the consent service was asked with it).
   */
  referral(actor: Actor, fields: Omit<NewReferralFields, 'chainId'> & { chainId?: string; id?: string }, now: Date): Referral {
    const { id = uuidv7(), ...others } = fields;
    const { chainId = id, ...rest } = others;
    return Object.assign(new Referral(), {
      ...rest,
      id,
      chainId,
      senderOrganizationId: actor.organizationId,
      reference: newReferralReference(),
      status: 'requested',
      statusReason: null,
      version: 1,
      outcome: null,
      outcomeText: null,
      outcomeKnownAt: null,
      forwardedToId: null,
      respondedAt: null,
      acceptedAt: null,
      closedAt: null,
      firstNoteAt: null,
      lastNoteAt: null,
      standardExceptions: {},
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<Referral>);
  },

  /** One entry of a referral's timeline, written by the actor at the referral's current version. */
  entry(actor: Actor, referral: Referral, now: Date, fields: TimelineFields): ReferralTimelineEntry {
    return Object.assign(new ReferralTimelineEntry(), {
      id: uuidv7(),
      referralId: referral.id,
      authorOrganizationId: actor.organizationId,
      authorClientId: actor.clientId,
      visibility: 'shared',
      occurredAt: now,
      recordedAt: now,
      version: referral.version,
      fromStatus: null,
      toStatus: null,
      reason: null,
      outcome: null,
      text: null,
      channel: null,
      result: null,
      standard: null,
      relatedReferralId: null,
      ...fields,
    } satisfies ReferralTimelineEntry);
  },

  /** An event's payload: the loop's state, never the client's personal data. */
  payload(referral: Referral, now: Date, extra: Partial<ReferralEventPayload> = {}): ReferralEventPayload {
    return {
      referralId: referral.id,
      senderOrganizationId: referral.senderOrganizationId,
      receivingOrganizationId: referral.receivingOrganizationId,
      status: referral.status,
      needs: referral.needs,
      ...(referral.outcome ? { outcome: referral.outcome } : {}),
      version: referral.version,
      occurredAt: now.toISOString(),
      ...extra,
    };
  },
};
