import { ReferralPartyRow } from '../audience/entities/referral-party.entity';
import { PartnerCredential } from '../partner-credentials/partner-credential.entity';

/** Every table this service owns. */
export const entities: Function[] = [ReferralPartyRow, PartnerCredential];
