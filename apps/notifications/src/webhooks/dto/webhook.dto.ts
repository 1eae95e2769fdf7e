import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { PARTNER_EVENT_TYPES, PartnerEventType } from '@nwd/contracts';
import { OptionalNotNull, ValidateDateTime, ValidateInt } from '@nwd/http';

const MAX_URL = 2048;

export class CreateWebhookDto {
  @ApiProperty({ maxLength: MAX_URL, example: 'https://hooks.example.org/no-wrong-door', description: 'https, to a public address' })
  @IsString()
  @MaxLength(MAX_URL)
  url!: string;

  @ApiProperty({ enum: PARTNER_EVENT_TYPES, isArray: true, example: ['referral.v1.requested', 'referral.v1.accepted'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(PARTNER_EVENT_TYPES, { each: true })
  events!: PartnerEventType[];
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: MAX_URL })
  @OptionalNotNull()
  @IsString()
  @MaxLength(MAX_URL)
  url?: string;

  @ApiPropertyOptional({ enum: PARTNER_EVENT_TYPES, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(PARTNER_EVENT_TYPES, { each: true })
  events?: PartnerEventType[];

  @ApiPropertyOptional({ enum: ['active', 'disabled'], description: 'Turn the endpoint back on after it was disabled (its waiting deliveries resume), or off' })
  @OptionalNotNull()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class DeliveryLogQueryDto {
  @ValidateInt({ optional: true, min: 1, max: 200, default: 50, description: 'Newest deliveries first' })
  limit?: number;
}

export class ReplayDto {
  @ValidateDateTime({ description: 'Events that occurred at or after this instant' })
  since!: string;

  @ValidateDateTime({ description: 'Events that occurred before this instant' })
  until!: string;
}
