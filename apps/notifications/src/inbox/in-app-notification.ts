import type { AudiencePurpose } from '../audience/referral-audience.rules';
import type { NotificationOwner } from '../recipients/notification-owner';

export const IN_APP_KINDS = ['referral-event', 'platform-alert'] as const;
export type InAppKind = (typeof IN_APP_KINDS)[number];

/** One line of an organization's (or the network's) inbox: ids, codes and a link, no personal data. */
export interface InAppNotification {
  id: string;
  owner: NotificationOwner;
  /** For per-user inboxes once users exist; null: the whole organization's. */
  userId: string | null;
  kind: InAppKind;
  eventType: string | null;
  /** Why a referral event is here: a notice, a reminder of the owner's own deadline, or an escalation. */
  purpose: AudiencePurpose | null;
  alert: string | null;
  referralId: string | null;
  subjectId: string | null;
  status: string | null;
  standard: string | null;
  dueAt: Date | null;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}
