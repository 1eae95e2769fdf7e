import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../principal';

export class WhoamiResponse {
  @ApiProperty({ format: 'uuid', description: 'The caller’s organization' }) organizationId!: string;
  @ApiProperty({ description: 'The API client the token was issued to' }) subject!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ description: 'The service that verified the token', example: 'referral' }) service!: string;
}
