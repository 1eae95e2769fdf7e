import { AUDIENCE_PURPOSES, AudiencePurpose } from '../../audience/referral-audience.rules';
import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_SCOPES, NotificationOwner, NotificationScope } from '../../recipients/notification-owner';
import { IN_APP_KINDS, InAppKind, InAppNotification } from '../in-app-notification';

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_SCOPES }) scope!: NotificationScope;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organizationId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'For per-user inboxes; null: the whole organization’s' }) userId!: string | null;
  @ApiProperty({ enum: IN_APP_KINDS }) kind!: InAppKind;
  @ApiProperty({ type: String, nullable: true, example: 'referral.v1.requested' }) eventType!: string | null;
  @ApiProperty({ enum: AUDIENCE_PURPOSES, nullable: true, description: 'Why a referral event is here: notice, reminder (the owner’s own deadline) or escalation' }) purpose!: AudiencePurpose | null;
  @ApiProperty({ type: String, nullable: true, example: 'webhook-endpoint-disabled', description: 'The platform alert’s code' }) alert!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) referralId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What a platform alert is about, by id' }) subjectId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The referral’s status with the event' }) status!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The platform standard of a reminder or escalation' }) standard!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) link!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;

  static of(n: InAppNotification): NotificationResponse {
    return {
      id: n.id,
      scope: NotificationOwner.scopeOf(n.owner),
      organizationId: NotificationOwner.column(n.owner),
      userId: n.userId,
      kind: n.kind,
      eventType: n.eventType,
      purpose: n.purpose,
      alert: n.alert,
      referralId: n.referralId,
      subjectId: n.subjectId,
      status: n.status,
      standard: n.standard,
      dueAt: n.dueAt?.toISOString() ?? null,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    };
  }
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse], description: 'Newest first' }) data!: NotificationResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) nextCursor!: string | null;
}

export class UnreadCountResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) unread!: number;
}

export class MarkedReadResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many were unread and are now read' }) marked!: number;
}
