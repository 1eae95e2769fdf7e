import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@nwd/auth';
import { AuditLog } from './audit-log';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditPageResponse } from './dto/audit.response';

@ApiTags('network administration')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly auditLog: AuditLog) {}

  @Get()
  @Roles('network-admin')
  @ApiOkResponse({ type: AuditPageResponse, description: 'Administrative actions, newest first; page with `before` = the last id seen' })
  @ApiOperation({ summary: 'List administrative actions' })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageResponse> {
    const events = await this.auditLog.list({ ...query, limit: query.limit ?? 100 });
    return { data: events, next: events.length ? events[events.length - 1]!.id : null };
  }
}
