import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReferralPartyRow } from './entities/referral-party.entity';
import { ReferralParties } from './referral-audience.rules';

/**
 * The parties of referrals, written by whichever consumer sees a referral first (each reads the
 * REFERRAL stream in order, so a referral's parent is recorded before it). Referral events carry
 * organization ids only; nothing here is tenant data a partner reads.
 */
@Injectable()
export class ReferralPartyRepository {
  async find(manager: EntityManager, referralId: string): Promise<ReferralParties | undefined> {
    const row = await manager.findOneBy(ReferralPartyRow, { referralId });
    return row ? toParties(row) : undefined;
  }

  /** First record wins: a referral's parties never change (a forward makes a new referral). */
  async record(manager: EntityManager, parties: ReferralParties): Promise<void> {
    await manager.createQueryBuilder().insert().into(ReferralPartyRow).values(parties).orIgnore().execute();
  }
}

function toParties(row: ReferralPartyRow): ReferralParties {
  return {
    referralId: row.referralId,
    senderOrganizationId: row.senderOrganizationId,
    receivingOrganizationId: row.receivingOrganizationId,
    forwardedFromReferralId: row.forwardedFromReferralId,
    forwardChainOrganizationIds: row.forwardChainOrganizationIds,
  };
}
