import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Role } from '@nwd/auth';

export type ApiClientStatus = 'active' | 'revoked';

/** A credential an organization's system or staff tool uses to obtain access tokens. */
@Entity('api_client')
export class ApiClient {
  @PrimaryColumn('text') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') name!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text', { name: 'secret_hash', select: false }) secretHash!: string;
  @Column('text') status!: ApiClientStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'rotated_at', nullable: true }) rotatedAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  /** Requests per minute on every service, carried in its tokens; null: the network default. */
  @Column('integer', { name: 'rate_limit_per_minute', nullable: true }) rateLimitPerMinute!: number | null;
}
