import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Roles } from '@nwd/auth';
import { ValidateEnum, ValidateInt } from '@nwd/http';
import { AUDIT_ACTIONS, AuditLog } from './audit-log';

export class AuditQueryDto {
  @ValidateEnum(AUDIT_ACTIONS, { optional: true }) action?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) targetId?: string;
  @ValidateInt({ optional: true, min: 1, description: 'The `next` of the previous page' }) before?: number;
  @ValidateInt({ optional: true, min: 1, max: 500, default: 100 }) limit?: number;
}

@ApiTags('network administration')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly auditLog: AuditLog) {}

  @Get()
  @Roles('network-admin')
  @ApiOkResponse({ description: 'Administrative actions, newest first; page with `before` = the last id seen' })
  async list(@Query() query: AuditQueryDto) {
    const events = await this.auditLog.list({ ...query, limit: query.limit ?? 100 });
    return { data: events, next: events.length ? events[events.length - 1]!.id : null };
  }
}
