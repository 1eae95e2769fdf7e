import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Roles } from '@nwd/auth';
import { AUDIT_ACTIONS, AuditLog } from './audit-log';

export class AuditQueryDto {
  @IsOptional() @IsIn(AUDIT_ACTIONS) action?: string;
  @IsOptional() @IsString() targetId?: string;
  @IsOptional() @Matches(/^\d+$/) before?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
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
