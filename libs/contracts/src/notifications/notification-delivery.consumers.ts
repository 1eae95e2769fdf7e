import type { DeclaredConsumer } from '../ownership';
import { ReferralEvents } from '../referral/referral.events';

/**
 * The notifications service's email and in-app delivery: one durable per referral event type
 * (NATS 2.9 consumers filter one subject), named `notifications-deliver-<type>`.
 */
export const NOTIFICATION_DELIVERY_CONSUMERS: readonly DeclaredConsumer[] = Object.values(ReferralEvents).map((contract) => ({
  contract,
  durable: notificationDeliveryDurable(contract.subject),
}));

export function notificationDeliveryDurable(subject: string): string {
  return `notifications-deliver-${subject.split('.').pop()}`;
}
