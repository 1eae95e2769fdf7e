import type { CapacityStatus, HsdsServiceStatus } from '@nwd/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The one HSDS table written through the ORM: a listing's maintenance edits a service's HSDS fields and the
 * network's fields beside them. The other tables are read and written in SQL, described by the spec's
 * datapackage.json (hsds-tables.ts). Numbers come back from PostgreSQL as strings (numeric keeps the digits
 * as given): see the migration 1763900200000.
 */

@Entity('hsds_service')
export class HsdsService {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'program_id', nullable: true }) programId!: string | null;
  @Column('text') name!: string;
  @Column('text', { name: 'alternate_name', nullable: true }) alternateName!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text') status!: HsdsServiceStatus;
  @Column('text', { name: 'interpretation_services', nullable: true }) interpretationServices!: string | null;
  @Column('text', { name: 'application_process', nullable: true }) applicationProcess!: string | null;
  @Column('text', { name: 'fees_description', nullable: true }) feesDescription!: string | null;
  @Column('text', { name: 'wait_time', nullable: true }) waitTime!: string | null;
  @Column('text', { nullable: true }) fees!: string | null;
  @Column('text', { nullable: true }) accreditations!: string | null;
  @Column('text', { name: 'eligibility_description', nullable: true }) eligibilityDescription!: string | null;
  @Column('numeric', { name: 'minimum_age', nullable: true }) minimumAge!: string | null;
  @Column('numeric', { name: 'maximum_age', nullable: true }) maximumAge!: string | null;
  @Column('text', { name: 'assured_date', nullable: true }) assuredDate!: string | null;
  @Column('text', { name: 'assurer_email', nullable: true }) assurerEmail!: string | null;
  @Column('text', { nullable: true }) licenses!: string | null;
  @Column('text', { nullable: true }) alert!: string | null;
  @Column('text', { name: 'last_modified', nullable: true }) lastModified!: string | null;

  // The network's fields beside HSDS.
  @Column('uuid', { name: 'maintainer_organization_id', nullable: true }) maintainerOrganizationId!: string | null;
  @Column('boolean', { name: 'accepts_electronic_referrals' }) acceptsElectronicReferrals!: boolean;
  @Column('text', { name: 'capacity_status' }) capacityStatus!: CapacityStatus;
  @Column('integer', { name: 'capacity_expected_wait_days', nullable: true }) capacityExpectedWaitDays!: number | null;
  @Column('timestamptz', { name: 'capacity_updated_at', nullable: true }) capacityUpdatedAt!: Date | null;
  @Column('timestamptz', { name: 'listed_at' }) listedAt!: Date;
  @Column('timestamptz', { name: 'last_verified_at', nullable: true }) lastVerifiedAt!: Date | null;
  @Column('text', { name: 'last_verified_by', nullable: true }) lastVerifiedBy!: string | null;
  @Column('timestamptz', { name: 'stale_since', nullable: true }) staleSince!: Date | null;
  @Column('boolean') confidential!: boolean;
  @Column('text', { name: 'time_zone', nullable: true }) timeZone!: string | null;
  @Column('timestamptz', { name: 'network_updated_at' }) networkUpdatedAt!: Date;
}
