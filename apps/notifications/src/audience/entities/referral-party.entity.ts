import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What notifications remembers of a referral to address its events: its parties and where it was forwarded from. */
@Entity('referral_party')
export class ReferralPartyRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('uuid', { name: 'sender_organization_id' }) senderOrganizationId!: string;
  @Column('uuid', { name: 'receiving_organization_id' }) receivingOrganizationId!: string;
  @Column('uuid', { name: 'forwarded_from_referral_id', nullable: true }) forwardedFromReferralId!: string | null;
  @Column('uuid', { name: 'forward_chain_organization_ids', array: true }) forwardChainOrganizationIds!: string[];
  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' }) recordedAt!: Date;
}
