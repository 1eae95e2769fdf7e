import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A POST's Idempotency-Key and the response it got, written in the transaction of the write itself. */
@Entity('idempotency_key')
export class IdempotencyKey {
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('integer', { name: 'response_status' }) responseStatus!: number;
  @Column('jsonb', { name: 'response_body' }) responseBody!: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
