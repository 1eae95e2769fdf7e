import { ApiProperty } from '@nestjs/swagger';
import { PARTNER_EVENT_TYPES, PartnerEventType } from '@nwd/contracts';
import { NOTIFICATION_SCOPES, NotificationOwner, NotificationScope } from '../../recipients/notification-owner';
import type { QuietHours } from '../local-time';
import { Subscription } from '../subscription';
import { DIGEST_FREQUENCIES, DigestFrequency, NOTIFICATION_CHANNELS, NOTIFICATION_LANGUAGES, NotificationChannel, NotificationLanguage } from '../subscription-codes';

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_SCOPES, description: 'organization, or network for the network admins’ own' }) scope!: NotificationScope;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organizationId!: string | null;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: NotificationChannel;
  @ApiProperty({ type: String, format: 'email', nullable: true }) address!: string | null;
  @ApiProperty({ enum: PARTNER_EVENT_TYPES, isArray: true }) eventTypes!: PartnerEventType[];
  @ApiProperty({ enum: NOTIFICATION_LANGUAGES }) language!: NotificationLanguage;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'Local times mail waits between; null: none',
    properties: { start: { type: 'string', example: '22:00' }, end: { type: 'string', example: '07:00' } },
    required: ['start', 'end'],
  })
  quietHours!: QuietHours | null;
  @ApiProperty({ enum: DIGEST_FREQUENCIES, nullable: true }) digest!: DigestFrequency | null;
  @ApiProperty({ type: String, nullable: true, example: '08:00', description: 'null: the network’s digest time' }) digestTime!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(s: Subscription): SubscriptionResponse {
    return {
      id: s.id,
      scope: NotificationOwner.scopeOf(s.owner),
      organizationId: NotificationOwner.column(s.owner),
      channel: s.channel,
      address: s.address,
      eventTypes: s.eventTypes,
      language: s.language,
      timeZone: s.timeZone,
      quietHours: s.quietHours,
      digest: s.digest,
      digestTime: s.digestTime,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

export class SubscriptionListResponse {
  @ApiProperty({ type: [SubscriptionResponse] }) data!: SubscriptionResponse[];
}
