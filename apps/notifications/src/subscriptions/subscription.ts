import type { PartnerEventType } from '@nwd/contracts';
import type { NotificationOwner } from '../recipients/notification-owner';
import type { LocalTime, QuietHours } from './local-time';
import type { DigestFrequency, NotificationChannel, NotificationLanguage } from './subscription-codes';

/** What an organization (or the network) asked to be told, where, and when. */
export interface Subscription {
  id: string;
  owner: NotificationOwner;
  channel: NotificationChannel;
  /** The mailbox, for email; null in-app. */
  address: string | null;
  eventTypes: PartnerEventType[];
  language: NotificationLanguage;
  /** The IANA zone quiet hours and the digest time are read in. */
  timeZone: string;
  quietHours: QuietHours | null;
  digest: DigestFrequency | null;
  /** The subscription's own digest time; null means the network's (NWD_DIGEST_TIME). */
  digestTime: LocalTime | null;
  /** When the next daily digest falls due (null without a digest). */
  nextDigestAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
