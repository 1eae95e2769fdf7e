import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS } from '../audit-log';

export class AuditEventResponse {
  @ApiProperty({ description: 'Increasing; a bigint, so a string', example: '1042' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: string;
  @ApiProperty({ description: 'The API client that acted' }) actorSubject!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorOrganizationId!: string | null;
  @ApiProperty({ example: 'organization' }) targetType!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] }) data!: AuditEventResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next page' }) next!: string | null;
}
