import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContactChannel, ContactResult, NoteVisibility, PlatformStandard, ReferralOutcome, ReferralStatus } from '@nwd/contracts';

export const TIMELINE_KINDS = ['status-changed', 'forwarded', 'note', 'contact-attempt', 'exception', 'outcome-known'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One thing that happened to a referral, with who wrote it and when. */
@Entity('referral_timeline')
export class ReferralTimelineEntry {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('text') kind!: TimelineKind;
  @Column('uuid', { name: 'author_organization_id' }) authorOrganizationId!: string;
  @Column('text', { name: 'author_client_id' }) authorClientId!: string;
  @Column('text') visibility!: NoteVisibility;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('integer') version!: number;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus!: ReferralStatus | null;
  @Column('text', { name: 'to_status', nullable: true }) toStatus!: ReferralStatus | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { nullable: true }) outcome!: ReferralOutcome | null;
  @Column('text', { nullable: true }) text!: string | null;
  @Column('text', { nullable: true }) channel!: ContactChannel | null;
  @Column('text', { nullable: true }) result!: ContactResult | null;
  @Column('text', { nullable: true }) standard!: PlatformStandard | null;
  @Column('uuid', { name: 'related_referral_id', nullable: true }) relatedReferralId!: string | null;
}
