import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContactPreference } from '@nwd/contracts';

/** The person a referral is for. Personal data lives here only, never in events. */
@Entity('client')
export class Client {
  @PrimaryColumn('uuid') id!: string;
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
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
