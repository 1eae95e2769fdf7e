import type { ReferralEventPayload } from '@nwd/contracts';

/**
 * TEMPORARY, until the audience module (apps/notifications/src/audience, branch n-feeds) is merged:
 * who an event is for is that module's decision. This stand-in takes the sender and the receiver,
 * and the organization a referral was forwarded to.
 */
export function temporaryWebhookAudience(event: ReferralEventPayload): string[] {
  const parties = [event.senderOrganizationId, event.receivingOrganizationId, event.forwardedToOrganizationId];
  return [...new Set(parties.filter((id): id is string => typeof id === 'string'))];
}
