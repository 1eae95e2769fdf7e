import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationKind, OrganizationStatus } from '@nwd/contracts';

/** A member of the network (a health system, a CBO, a coordinator, an agency) — not a directory listing. */
@Entity('network_organization')
export class NetworkOrganization {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: OrganizationKind;
  @Column('text') status!: OrganizationStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
