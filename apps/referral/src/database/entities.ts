import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralTimelineEntry } from '../referrals/entities/referral-timeline-entry.entity';

/** Every table this service owns (the client register is the consent service's). */
export const entities: Function[] = [Referral, ReferralTimelineEntry, IdempotencyKey];
