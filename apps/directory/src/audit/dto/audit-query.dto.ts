import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidateEnum, ValidateInt } from '@nwd/http';
import { AUDIT_ACTIONS } from '../audit-log';

export class AuditQueryDto {
  @ValidateEnum(AUDIT_ACTIONS, { optional: true }) action?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) targetId?: string;
  @ValidateInt({ optional: true, min: 1, description: 'The `next` of the previous page' }) before?: number;
  @ValidateInt({ optional: true, min: 1, max: 500, default: 100 }) limit?: number;
}
