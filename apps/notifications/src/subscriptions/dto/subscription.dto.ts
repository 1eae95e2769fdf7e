import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsTimeZone, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { PARTNER_EVENT_TYPES, PartnerEventType } from '@nwd/contracts';
import { OptionalNotNull, ValidateEnum } from '@nwd/http';
import { NOTIFICATION_SCOPES, NotificationScope } from '../../recipients/notification-owner';
import { LOCAL_TIME_PATTERN } from '../local-time';
import {
  DIGEST_FREQUENCIES,
  DigestFrequency,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_LANGUAGES,
  NotificationChannel,
  NotificationLanguage,
} from '../subscription-codes';

const LOCAL_TIME_DOCS = { type: String, pattern: LOCAL_TIME_PATTERN.source, example: '22:00' } as const;

export class QuietHoursDto {
  @ApiProperty({ ...LOCAL_TIME_DOCS, description: 'Local time mail starts waiting' })
  @Matches(LOCAL_TIME_PATTERN, { message: 'start must be a local time HH:mm' })
  start!: string;

  @ApiProperty({ ...LOCAL_TIME_DOCS, example: '07:00', description: 'Local time the waiting mail goes out (the next day when earlier than start)' })
  @Matches(LOCAL_TIME_PATTERN, { message: 'end must be a local time HH:mm' })
  end!: string;
}

/** When and how mail goes out: the same on creation and change (null clears quiet hours, the digest and its time). */
class DeliveryTimingDto {
  @ApiPropertyOptional({ type: String, example: 'America/New_York', description: 'IANA time zone of quiet hours and the digest time (default UTC)' })
  @OptionalNotNull() @IsTimeZone({ message: 'timeZone must be an IANA time zone, e.g. America/New_York' })
  timeZone?: string;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'Mail due inside them waits until they end (email only)' })
  @IsOptional() @ValidateNested() @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ enum: DIGEST_FREQUENCIES, nullable: true, description: 'One mail a day gathering the events instead of one per event (email only)' })
  @IsOptional() @IsIn(DIGEST_FREQUENCIES, { message: `digest must be one of: ${DIGEST_FREQUENCIES.join(', ')}` })
  digest?: DigestFrequency | null;

  @ApiPropertyOptional({ ...LOCAL_TIME_DOCS, example: '08:00', nullable: true, description: 'Local time the digest goes out (default: the network’s)' })
  @IsOptional() @Matches(LOCAL_TIME_PATTERN, { message: 'digestTime must be a local time HH:mm' })
  digestTime?: string | null;
}

export class CreateSubscriptionDto extends DeliveryTimingDto {
  @ValidateEnum(NOTIFICATION_CHANNELS)
  channel!: NotificationChannel;

  @ApiPropertyOptional({ type: String, format: 'email', description: 'The mailbox: required for email, refused in-app' })
  @ValidateIf((dto: CreateSubscriptionDto) => dto.channel === 'email' || dto.address !== undefined)
  @IsEmail({}, { message: 'address must be an email address' }) @MaxLength(254)
  address?: string;

  @ValidateEnum(PARTNER_EVENT_TYPES, { each: true, description: 'Event types to be told of' })
  @ArrayMinSize(1) @ArrayMaxSize(PARTNER_EVENT_TYPES.length) @ArrayUnique()
  eventTypes!: PartnerEventType[];

  @ValidateEnum(NOTIFICATION_LANGUAGES)
  language!: NotificationLanguage;
}

/** Fields a subscription's owner may change; its channel stays what it was created with. */
export class UpdateSubscriptionDto extends DeliveryTimingDto {
  @ApiPropertyOptional({ type: String, format: 'email', description: 'The mailbox (email subscriptions only)' })
  @OptionalNotNull() @IsEmail({}, { message: 'address must be an email address' }) @MaxLength(254)
  address?: string;

  @ApiPropertyOptional({ enum: PARTNER_EVENT_TYPES, isArray: true, description: 'Event types to be told of' })
  @OptionalNotNull() @IsArray() @IsIn(PARTNER_EVENT_TYPES, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(PARTNER_EVENT_TYPES.length) @ArrayUnique()
  eventTypes?: PartnerEventType[];

  @ApiPropertyOptional({ enum: NOTIFICATION_LANGUAGES })
  @OptionalNotNull() @IsIn(NOTIFICATION_LANGUAGES)
  language?: NotificationLanguage;
}

export class ScopeQueryDto {
  @ValidateEnum(NOTIFICATION_SCOPES, { optional: true, description: 'network: the network admins’ own (network-admin only); default the caller’s organization' })
  scope?: NotificationScope;
}
