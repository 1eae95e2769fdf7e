import { ReferralPartyRow } from '../audience/entities/referral-party.entity';

/** Every table this service owns. */
export const entities: Function[] = [ReferralPartyRow];
