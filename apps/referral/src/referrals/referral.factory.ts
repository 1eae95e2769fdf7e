import { v7 as uuidv7 } from 'uuid';
import { Actor } from '@nwd/auth';
import { ReferralEventPayload } from '@nwd/contracts';
import { ReferralClientDto } from './dto/referral.dto';
import { Client } from './entities/client.entity';
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
>;

export type TimelineFields = Partial<ReferralTimelineEntry> & Pick<ReferralTimelineEntry, 'kind'>;

/** New rows as the referral service writes them: ids, defaults and who wrote them, in one place. */
export const ReferralFactory = {
  client(actor: Actor, input: ReferralClientDto, now: Date): Client {
    return {
      id: uuidv7(),
      createdByOrganizationId: actor.organizationId,
      givenName: input.givenName,
      familyName: input.familyName,
      birthDate: input.birthDate,
      phone: input.phone ?? null,
      email: input.email ?? null,
      postalCode: input.postalCode ?? null,
      preferredLanguage: input.preferredLanguage ?? null,
      interpreterNeeded: input.interpreterNeeded ?? false,
      contactPreference: input.contactPreference ?? null,
      doNotContact: input.doNotContact ?? false,
      createdAt: now,
    };
  },

  /** A requested referral from the actor; the first of a chain when `chainId` is not given. Due dates are reckoned after. */
  referral(actor: Actor, fields: Omit<NewReferralFields, 'chainId'> & { chainId?: string }, now: Date): Referral {
    const id = uuidv7();
    const { chainId = id, ...rest } = fields;
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
