import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ConsentPurpose, DataCategory, DisclosureChannel } from '@nwd/contracts';

/** A row of the accounting of disclosures. Written only by `DisclosureLedger`; never updated or deleted. */
@Entity('disclosure')
export class Disclosure {
  /** Which of the hash chains (1..16) the row is on. */
  @PrimaryColumn('smallint') chain!: number;
  /** Position in its chain; a bigint, read as a number (far below 2^53 for centuries). */
  @PrimaryColumn('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) seq!: number;
  /** UUIDv7: ordered by time across the chains. */
  @Column('uuid') id!: string;
  @Column('uuid', { name: 'client_id' }) clientId!: string;
  @Column('uuid', { name: 'recipient_organization_id' }) recipientOrganizationId!: string;
  @Column('text', { name: 'source_organization_ids', array: true }) sourceOrganizationIds!: string[];
  @Column('text') purpose!: ConsentPurpose;
  @Column('text', { array: true }) categories!: DataCategory[];
  @Column('text') channel!: DisclosureChannel;
  @Column('text', { name: 'consent_ids', array: true }) consentIds!: string[];
  @Column('uuid', { name: 'referral_id', nullable: true }) referralId!: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
  @Column('timestamptz', { name: 'disclosed_at' }) disclosedAt!: Date;
  @Column('text', { name: 'previous_hash' }) previousHash!: string;
  @Column('text') hash!: string;
}
