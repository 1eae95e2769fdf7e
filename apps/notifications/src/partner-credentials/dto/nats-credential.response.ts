import { ApiProperty } from '@nestjs/swagger';

/** A partner NATS credential as listed: never its seed or JWT. */
export class NatsCredentialResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ description: 'The NATS user’s public key (U…)' }) publicKey!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: 'active' | 'revoked';
  @ApiProperty({ format: 'date-time' }) issuedAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'For a rotated credential: when it stops working' })
  expiresAt!: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The credential that replaced it at rotation' })
  replacedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: Date | null;
}

export class NatsCredentialListResponse {
  @ApiProperty({ type: [NatsCredentialResponse] }) data!: NatsCredentialResponse[];
}

/** What a partner's NATS client needs besides the credentials. */
export class NatsConnectionDetails {
  @ApiProperty({ type: [String], example: ['tls://nats.example.org:4222'] }) servers!: string[];
  @ApiProperty({ description: 'The client’s `inboxPrefix`: replies reach it only under this prefix' }) inboxPrefix!: string;
  @ApiProperty({ example: 'PARTNER' }) stream!: string;
  @ApiProperty({ description: 'The organization’s feed; a consumer’s filter must lie inside it' }) filter!: string;
  @ApiProperty({ type: [String], description: 'The durable consumer names the organization may create' }) durables!: string[];
}

/** New credentials: the `.creds` text is shown in this response only and never stored. */
export class IssuedNatsCredentialResponse extends NatsCredentialResponse {
  @ApiProperty({ description: 'The NATS `.creds` file content (user JWT and seed); shown only this once' }) creds!: string;
  @ApiProperty({ type: NatsConnectionDetails }) connection!: NatsConnectionDetails;
}
