import { defineEvent, EventContract, StreamDefinition, STREAMS } from '../contract';
import { ReferralEvents } from '../referral/referral.events';

/**
 * The partner feeds: the notifications service republishes each referral event to every
 * organization party to it, under that organization's own subjects on stream PARTNER, so a
 * partner's NATS credentials can be limited to `partner.<its id>.>` and its own consumer names.
 */
export const PARTNER_STREAM: StreamDefinition = STREAMS.PARTNER;

/** Every event a partner may receive (feeds, webhooks, email, in-app): the referral loop's, by type. */
export const PARTNER_EVENTS: readonly EventContract<object>[] = Object.values(ReferralEvents);
export type PartnerEventType = (typeof ReferralEvents)[keyof typeof ReferralEvents]['subject'];
export const PARTNER_EVENT_TYPES = PARTNER_EVENTS.map((e) => e.subject) as readonly PartnerEventType[];

export const PartnerFeed = {
  /** `partner.<organizationId>.referral.v1.<type>` (unprefixed, like every contract subject). */
  subject(organizationId: string, eventType: string): string {
    return `partner.${organizationId}.${eventType}`;
  },
  /** Everything an organization's feed holds. */
  filter(organizationId: string): string {
    return `partner.${organizationId}.>`;
  },
  /**
   * The durable consumer names an organization may create on PARTNER: `<organizationId>` and
   * `<organizationId>_<suffix>` are not expressible in NATS permissions (tokens match whole), so a
   * partner gets a fixed set: `p-<organizationId>-1` … `p-<organizationId>-N`.
   */
  durable(organizationId: string, slot = 1): string {
    return `p-${organizationId}-${slot}`;
  },
  DURABLE_SLOTS: 3,
  /** The stream's unprefixed name. */
  stream: STREAMS.PARTNER.name,
  /** One organization's copy of a referral event: what the notifications service writes to its outbox. */
  eventFor(organizationId: string, eventType: PartnerEventType): EventContract<object> {
    return defineEvent(PartnerFeed.subject(organizationId, eventType), PARTNER_STREAM, referralContract(eventType).payload);
  },
  /** The event type a partner subject carries (`partner.<id>.referral.v1.accepted` → `referral.v1.accepted`). */
  eventTypeOf(subject: string): PartnerEventType | undefined {
    const type = subject.split('.').slice(2).join('.');
    return (PARTNER_EVENT_TYPES as readonly string[]).includes(type) ? (type as PartnerEventType) : undefined;
  },
  /** The event contract a partner subject carries (the same payload as the referral event it copies). */
  contractFor(eventType: PartnerEventType): EventContract<object> {
    return defineEvent(PartnerFeed.subject('*', eventType), PARTNER_STREAM, referralContract(eventType).payload);
  },
} as const;

function referralContract(eventType: PartnerEventType): EventContract<object> {
  const contract = PARTNER_EVENTS.find((e) => e.subject === eventType);
  if (!contract) throw new Error(`No partner event ${eventType}`);
  return contract;
}
