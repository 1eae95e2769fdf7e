import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContactPreference, EthnicityCategory, RaceCategory, SexCode } from '@nwd/contracts';

/**
 * A person referrals are for: the network's one register of personal data. Other services hold
 * the id only and read the rest through a disclosure decided and recorded here.
 */
@Entity('client')
export class Client {
  @PrimaryColumn('uuid') id!: string;
  /** The organization that registered the person; its own staff see the record without a consent. */
  @Column('uuid', { name: 'created_by_organization_id' }) createdByOrganizationId!: string;
  @Column('text', { name: 'given_name' }) givenName!: string;
  @Column('text', { name: 'family_name' }) familyName!: string;
  /** `YYYY-MM-DD`: a birth date has no time zone. */
  @Column('date', { name: 'birth_date' }) birthDate!: string;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { name: 'postal_code', nullable: true }) postalCode!: string | null;
  @Column('text', { name: 'preferred_language', nullable: true }) preferredLanguage!: string | null;
  @Column('boolean', { name: 'interpreter_needed' }) interpreterNeeded!: boolean;
  @Column('text', { name: 'contact_preference', nullable: true }) contactPreference!: ContactPreference | null;
  /** Do not contact the client directly: go through the referring organization. */
  @Column('boolean', { name: 'do_not_contact' }) doNotContact!: boolean;
  /** Self-reported, never required: CDC Race & Ethnicity codes (OMB categories). */
  @Column('text', { array: true }) race!: RaceCategory[];
  @Column('text', { array: true }) ethnicity!: EthnicityCategory[];
  @Column('text', { nullable: true }) sex!: SexCode | null;
  @Column('text', { name: 'gender_identity', nullable: true }) genderIdentity!: string | null;
  /** Set when an org-admin merged this record into another: reads follow the survivor. */
  @Column('uuid', { name: 'merged_into_id', nullable: true }) mergedIntoId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
