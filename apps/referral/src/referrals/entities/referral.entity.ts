import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlatformStandard, ReferralOutcome, ReferralStatus, ReferralUrgency, SdohNeed } from '@nwd/contracts';

@Entity('referral')
export class Referral {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') reference!: string;
  @Column('uuid', { name: 'chain_id' }) chainId!: string;
  @Column('uuid', { name: 'client_id' }) clientId!: string;
  @Column('uuid', { name: 'sender_organization_id' }) senderOrganizationId!: string;
  @Column('uuid', { name: 'receiving_organization_id' }) receivingOrganizationId!: string;
  @Column('uuid', { name: 'party_organization_ids', array: true }) partyOrganizationIds!: string[];
  @Column('uuid', { name: 'receiving_service_id', nullable: true }) receivingServiceId!: string | null;
  @Column('text', { array: true }) needs!: SdohNeed[];
  @Column('text') status!: ReferralStatus;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason!: string | null;
  @Column('integer') version!: number;
  @Column('text') urgency!: ReferralUrgency;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) outcome!: ReferralOutcome | null;
  @Column('text', { name: 'outcome_text', nullable: true }) outcomeText!: string | null;
  @Column('timestamptz', { name: 'outcome_known_at', nullable: true }) outcomeKnownAt!: Date | null;
  @Column('uuid', { name: 'forwarded_from_id', nullable: true }) forwardedFromId!: string | null;
  @Column('uuid', { name: 'forwarded_to_id', nullable: true }) forwardedToId!: string | null;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt!: Date | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('timestamptz', { name: 'first_note_at', nullable: true }) firstNoteAt!: Date | null;
  @Column('timestamptz', { name: 'last_note_at', nullable: true }) lastNoteAt!: Date | null;
  @Column('jsonb', { name: 'standard_exceptions' }) standardExceptions!: Partial<Record<PlatformStandard, string>>;
  @Column('timestamptz', { name: 'respond_due_at' }) respondDueAt!: Date;
  @Column('timestamptz', { name: 'first_note_due_at', nullable: true }) firstNoteDueAt!: Date | null;
  @Column('timestamptz', { name: 'close_due_at', nullable: true }) closeDueAt!: Date | null;
  @Column('timestamptz', { name: 'note_cadence_due_at', nullable: true }) noteCadenceDueAt!: Date | null;
  @Column('timestamptz', { name: 'next_due_at', nullable: true }) nextDueAt!: Date | null;
  /** Sent with no client identifiers: the receiver reaches the person through the sender. */
  @Column('boolean') deidentified!: boolean;
  /** The consents the receiver's access to the client rests on: a revocation of one of them is news for this referral. */
  @Column('uuid', { name: 'consent_ids', array: true }) consentIds!: string[];
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
