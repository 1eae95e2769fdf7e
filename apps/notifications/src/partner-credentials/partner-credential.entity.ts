import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PartnerCredentialStatus = 'active' | 'revoked';

/**
 * One NATS user issued to an organization. Only its public key is kept: the seed and JWT were
 * handed out once. A rotated credential stays active until `expiresAt` (the overlap), then is
 * revoked like any other.
 */
@Entity('partner_nats_credential')
export class PartnerCredential {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'public_key' }) publicKey!: string;
  @Column('text') status!: PartnerCredentialStatus;
  /** The user JWT's own issue time (whole seconds): what a revocation names. */
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
  @Column('text', { name: 'issued_by_client_id' }) issuedByClientId!: string;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('uuid', { name: 'replaced_by', nullable: true }) replacedBy!: string | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
