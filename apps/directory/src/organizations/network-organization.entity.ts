import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganizationKind, OrganizationProtection, OrganizationStatus } from '@nwd/contracts';

/** A member of the network (a health system, a CBO, a coordinator, an agency) — not a directory listing. */
@Entity('network_organization')
export class NetworkOrganization {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: OrganizationKind;
  @Column('text') status!: OrganizationStatus;
  /** Federal protections of its programs (VAWA, 42 CFR Part 2): only network admins set them. */
  @Column('text', { array: true, default: () => "'{}'" }) protections!: OrganizationProtection[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
