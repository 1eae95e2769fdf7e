import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidateBoolean, ValidateInt, ValidateUUID } from '@nwd/http';
import { ScopeQueryDto } from '../../subscriptions/dto/subscription.dto';

export class ListNotificationsQueryDto extends ScopeQueryDto {
  @ValidateInt({ optional: true, min: 1, max: 100, default: 25 }) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ValidateBoolean({ optional: true, description: 'Only the unread ones' }) unread?: boolean;
}

export class MarkAllReadDto {
  @ValidateUUID({ optional: true, description: 'Marks this notification and every older one; without it, all of them' })
  upTo?: string;
}
