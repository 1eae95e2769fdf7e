import { ApiProperty, ApiPropertyOptional, getSchemaPath, OmitType } from '@nestjs/swagger';
import * as Contracts from '@nwd/contracts';
import { DisclosedClientFieldsResponse } from '@nwd/consent-client';
import { StandardState, TIMED_STANDARDS, TimedStandard } from '../../standards/platform-standards';
import { TIMELINE_KINDS, TimelineKind } from '../entities/referral-timeline-entry.entity';
import type { WithheldReason } from '../../consent/client-access';

const WITHHELD_REASONS: WithheldReason[] = [...Contracts.WITHHOLDING_REASONS, 'deidentified'];

const STANDARD_STATES: StandardState[] = ['pending', 'overdue', 'excused', 'met', 'met-late', 'lapsed'];

export class DueDateResponse {
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) metAt!: string | null;
  @ApiProperty({ enum: STANDARD_STATES }) state!: StandardState;
}

/** One entry per platform standard that applies to the referral so far. */
export class DueDatesResponse implements Partial<Record<TimedStandard, DueDateResponse>> {
  @ApiPropertyOptional({ type: DueDateResponse }) respond?: DueDateResponse;
  @ApiPropertyOptional({ type: DueDateResponse }) 'first-note'?: DueDateResponse;
  @ApiPropertyOptional({ type: DueDateResponse }) close?: DueDateResponse;
  @ApiPropertyOptional({ type: DueDateResponse }) 'note-cadence'?: DueDateResponse;
}

/** What lists show: the loop's state and its clock, without the client's personal data. */
export class ReferralSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'R-7KQ2-M4XD' }) reference!: string;
  @ApiProperty({ enum: Contracts.REFERRAL_STATUSES }) status!: Contracts.ReferralStatus;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty({ type: 'integer', description: 'Send it back as `version` to change the referral (optimistic concurrency)' }) version!: number;
  @ApiProperty({ enum: Contracts.REFERRAL_URGENCIES }) urgency!: Contracts.ReferralUrgency;
  @ApiProperty({ enum: Contracts.SDOH_NEEDS, isArray: true }) needs!: Contracts.SdohNeed[];
  @ApiProperty({ format: 'uuid' }) senderOrganizationId!: string;
  @ApiProperty({ format: 'uuid' }) receivingOrganizationId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) receivingServiceId!: string | null;
  @ApiProperty({ enum: Contracts.REFERRAL_OUTCOMES, nullable: true }) outcome!: Contracts.ReferralOutcome | null;
  @ApiProperty({ nullable: true, type: String }) outcomeText!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) outcomeKnownAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) forwardedFromId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) forwardedToId!: string | null;
  @ApiProperty({ type: DueDatesResponse }) dueDates!: DueDatesResponse;
  @ApiProperty({ enum: TIMED_STANDARDS, isArray: true, description: 'The standards past due, not met and not excused' }) overdue!: TimedStandard[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ReferralWarningResponse {
  @ApiProperty({ example: 'directory.service-waitlisted' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: 'integer' }) expectedWaitDays?: number;
}

/** A new referral (created or forwarded), with what the sender should know about the receiving service. */
export class CreatedReferralResponse extends ReferralSummaryResponse {
  @ApiPropertyOptional({ format: 'uuid', description: 'The client in the consent service’s register (absent when de-identified)' }) clientId?: string;
  @ApiProperty({ type: [ReferralWarningResponse] }) warnings!: ReferralWarningResponse[];
}

/** A category of the client's data the reader does not see, and why. */
export class WithheldPartResponse {
  @ApiProperty({ enum: Contracts.DATA_CATEGORIES }) category!: Contracts.DataCategory;
  @ApiProperty({ enum: WITHHELD_REASONS }) reason!: WithheldReason;
}

/** What stands in for another organization's free text the reader may not see (`notes`). */
export class WithheldTextResponse extends WithheldPartResponse {
  @ApiProperty({ type: Boolean, enum: [true] }) withheld!: true;
}

/** Free text, null, or its withheld marker. */
const TEXT_OR_WITHHELD = { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(WithheldTextResponse) }] };

/** The client as the reader may see it: only the fields consent allows, and what was withheld and why. */
export class ReferralClientResponse extends DisclosedClientFieldsResponse {
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent when the referral is de-identified' }) id?: string;
  @ApiProperty({ type: [WithheldPartResponse], description: 'The categories asked for that the reader may not see, with the reason' }) withheld!: WithheldPartResponse[];
  @ApiPropertyOptional({ type: Boolean, enum: [true], description: 'The sender sent no identifiers' }) deidentified?: true;
}

/** A timeline entry: only the facts its kind has are present. */
export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: TimelineKind;
  @ApiProperty({ format: 'uuid' }) authorOrganizationId!: string;
  @ApiProperty() authorClientId!: string;
  @ApiProperty({ enum: Contracts.NOTE_VISIBILITIES }) visibility!: Contracts.NoteVisibility;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'integer', description: 'The referral’s version after this entry' }) version!: number;
  @ApiPropertyOptional({ enum: Contracts.REFERRAL_STATUSES }) fromStatus?: Contracts.ReferralStatus;
  @ApiPropertyOptional({ enum: Contracts.REFERRAL_STATUSES }) toStatus?: Contracts.ReferralStatus;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ enum: Contracts.REFERRAL_OUTCOMES }) outcome?: Contracts.ReferralOutcome;
  @ApiPropertyOptional({ ...TEXT_OR_WITHHELD, description: 'Another organization’s text is withheld where consent does not allow notes' })
  text?: string | WithheldTextResponse;
  @ApiPropertyOptional({ enum: Contracts.CONTACT_CHANNELS }) channel?: Contracts.ContactChannel;
  @ApiPropertyOptional({ enum: Contracts.CONTACT_RESULTS }) result?: Contracts.ContactResult;
  @ApiPropertyOptional({ enum: Contracts.PLATFORM_STANDARDS }) standard?: Contracts.PlatformStandard;
  @ApiPropertyOptional({ format: 'uuid' }) relatedReferralId?: string;
}

/** A referral of the same forward chain. */
export class ChainLinkResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ format: 'uuid' }) senderOrganizationId!: string;
  @ApiProperty({ format: 'uuid' }) receivingOrganizationId!: string;
  @ApiProperty({ enum: Contracts.REFERRAL_STATUSES }) status!: Contracts.ReferralStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** The whole referral: its client, timeline and forward chain, as the caller may see them. */
export class ReferralDetailResponse extends OmitType(ReferralSummaryResponse, ['outcomeText'] as const) {
  @ApiProperty({ oneOf: [{ type: 'string', nullable: true }, { $ref: getSchemaPath(WithheldTextResponse) }], description: 'The receiver’s outcome text, or its withheld marker' })
  outcomeText!: string | null | WithheldTextResponse;
  @ApiProperty({ description: 'The sender chose to send no identifiers' }) deidentified!: boolean;
  @ApiProperty({ type: ReferralClientResponse }) client!: ReferralClientResponse;
  @ApiProperty({ oneOf: [{ type: 'string', nullable: true }, { $ref: getSchemaPath(WithheldTextResponse) }], description: 'The sender’s description, or its withheld marker' })
  description!: string | null | WithheldTextResponse;
  @ApiPropertyOptional({ description: 'Present when the client’s data includes 42 CFR Part 2 records: it must travel with them' }) redisclosureNotice?: string;
  @ApiProperty({ type: [TimelineEntryResponse] }) timeline!: TimelineEntryResponse[];
  @ApiProperty({ type: [ChainLinkResponse] }) chain!: ChainLinkResponse[];
}

export class ReferralPageResponse {
  @ApiProperty({ type: [ReferralSummaryResponse] }) data!: ReferralSummaryResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
