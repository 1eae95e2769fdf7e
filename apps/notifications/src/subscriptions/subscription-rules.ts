import { DomainError } from '@nwd/errors';
import type { PartnerEventType } from '@nwd/contracts';
import type { NotificationOwner } from '../recipients/notification-owner';
import { LocalTime, nextDailyAt, QuietHours } from './local-time';
import { Subscription } from './subscription';
import type { DigestFrequency, NotificationChannel, NotificationLanguage } from './subscription-codes';

export interface SubscriptionInput {
  channel?: NotificationChannel;
  address?: string;
  eventTypes?: PartnerEventType[];
  language?: NotificationLanguage;
  timeZone?: string;
  quietHours?: QuietHours | null;
  digest?: DigestFrequency | null;
  digestTime?: LocalTime | null;
}

const DEFAULT_TIME_ZONE = 'UTC';

/**
 * What a subscription becomes from its owner's input: new (`current` undefined) or changed. Quiet
 * hours and the digest are about mail, so an in-app subscription refuses them (400 naming the
 * field); the next digest is reckoned afresh whenever its time or zone changes.
 */
export function subscriptionFrom(
  current: Subscription | undefined,
  input: SubscriptionInput,
  context: { id: string; owner: NotificationOwner; now: Date; defaultDigestTime: LocalTime },
): Subscription {
  const channel = current?.channel ?? input.channel!;
  const pick = <K extends keyof SubscriptionInput>(key: K, fallback: NonNullable<SubscriptionInput[K]> | null) =>
    input[key] === undefined ? fallback : (input[key] ?? null);

  if (channel === 'in-app') {
    for (const field of ['address', 'quietHours', 'digest', 'digestTime'] as const) {
      if (input[field] !== undefined && input[field] !== null) throw DomainError.invalidField(field, `${field} applies to email subscriptions only`);
    }
  }
  const digest = pick('digest', current?.digest ?? null) as DigestFrequency | null;
  const digestTime = pick('digestTime', current?.digestTime ?? null) as LocalTime | null;
  if (digestTime !== null && digest === null) throw DomainError.invalidField('digestTime', 'digestTime needs digest: daily');
  const timeZone = input.timeZone ?? current?.timeZone ?? DEFAULT_TIME_ZONE;

  const timingChanged = !current || current.digest !== digest || current.digestTime !== digestTime || current.timeZone !== timeZone;
  const nextDigestAt = digest === null
    ? null
    : timingChanged
      ? nextDailyAt(context.now, digestTime ?? context.defaultDigestTime, timeZone)
      : current!.nextDigestAt;

  return {
    id: current?.id ?? context.id,
    owner: current?.owner ?? context.owner,
    channel,
    address: channel === 'email' ? (input.address ?? current?.address ?? null) : null,
    eventTypes: input.eventTypes ?? current!.eventTypes,
    language: input.language ?? current!.language,
    timeZone,
    quietHours: pick('quietHours', current?.quietHours ?? null) as QuietHours | null,
    digest,
    digestTime,
    nextDigestAt,
    createdAt: current?.createdAt ?? context.now,
    updatedAt: context.now,
  };
}
