import type { PartnerEventType, ReferralEventPayload } from '@nwd/contracts';
import { NotificationOwner } from '../recipients/notification-owner';

/**
 * TEMPORARY, replaced by the audience module (apps/notifications/src/audience, branch n-feeds) once
 * merged: who a referral event is for, from the payload alone — a reminder to the receiver, an
 * escalation to the sender and the network admins, everything else to both parties and the
 * organization a referral was forwarded to.
 */
export function interimAudience(eventType: PartnerEventType, payload: ReferralEventPayload): NotificationOwner[] {
  if (eventType === 'referral.v1.due-soon') return [NotificationOwner.organization(payload.receivingOrganizationId)];
  if (eventType === 'referral.v1.overdue') return [NotificationOwner.organization(payload.senderOrganizationId), NotificationOwner.network];
  const organizations = new Set([payload.senderOrganizationId, payload.receivingOrganizationId]);
  if (payload.forwardedToOrganizationId) organizations.add(payload.forwardedToOrganizationId);
  return [...organizations].map(NotificationOwner.organization);
}
