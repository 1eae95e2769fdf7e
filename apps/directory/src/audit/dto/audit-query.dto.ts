import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IntegerValue } from '@nwd/http';
import { AUDIT_ACTIONS } from '../audit-log';

export class AuditQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS }) @IsOptional() @IsIn(AUDIT_ACTIONS) action?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) targetId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The `next` of the previous page' }) @IsOptional() @IntegerValue({ min: 1 }) before?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 }) @IsOptional() @IntegerValue({ min: 1, max: 500 }) limit?: number;
}
