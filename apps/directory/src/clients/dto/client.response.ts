import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '@nwd/auth';

/** An API client as the register lists it: never its secret or the secret's hash. */
export class ApiClientResponse {
  @ApiProperty({ description: 'The client id used at the token endpoint' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: 'active' | 'revoked';
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rotatedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: Date | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Requests per minute on every service; null: the network default' })
  rateLimitPerMinute!: number | null;
}

export class ApiClientListResponse {
  @ApiProperty({ type: [ApiClientResponse] }) data!: ApiClientResponse[];
}

/** A new or rotated secret: shown in this response only, stored as a salted hash. */
export class IssuedCredentialsResponse {
  @ApiProperty() clientId!: string;
  @ApiProperty({ description: 'Shown only this once' }) clientSecret!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}
