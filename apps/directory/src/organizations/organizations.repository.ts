import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@nwd/errors';
import { NetworkOrganization } from './network-organization.entity';
import { ListOrganizationsQueryDto } from './dto/organization.dto';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new organization and returns it as stored (with its creation time). */
  async insert(manager: EntityManager, organization: Pick<NetworkOrganization, 'id' | 'name' | 'kind' | 'status'>): Promise<NetworkOrganization> {
    await manager.insert(NetworkOrganization, organization);
    return manager.findOneByOrFail(NetworkOrganization, { id: organization.id });
  }

  /** Changes the organization and returns it as stored. */
  async update(manager: EntityManager, id: string, changes: Partial<NetworkOrganization>): Promise<NetworkOrganization> {
    await manager.update(NetworkOrganization, { id }, changes);
    return manager.findOneByOrFail(NetworkOrganization, { id });
  }

  list(query: ListOrganizationsQueryDto): Promise<NetworkOrganization[]> {
    const builder = this.dataSource.getRepository(NetworkOrganization).createQueryBuilder('o').orderBy('lower(o.name)').addOrderBy('o.id');
    if (query.kind) builder.andWhere('o.kind = :kind', { kind: query.kind });
    if (query.status) builder.andWhere('o.status = :status', { status: query.status });
    if (query.name) builder.andWhere(`o.name ILIKE :name`, { name: `%${query.name.replace(/[%_\\]/g, '\\$&')}%` });
    return builder.getMany();
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<NetworkOrganization | null> {
    return manager.findOneBy(NetworkOrganization, { id });
  }

  async get(id: string, manager?: EntityManager): Promise<NetworkOrganization> {
    const organization = await this.find(id, manager);
    if (!organization) throw DomainError.notFound('directory.organization-not-found', `No organization ${id} in the network`);
    return organization;
  }

  /** Locks the row for an update in the caller's transaction. */
  async getForUpdate(manager: EntityManager, id: string): Promise<NetworkOrganization> {
    const organization = await manager.findOne(NetworkOrganization, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!organization) throw DomainError.notFound('directory.organization-not-found', `No organization ${id} in the network`);
    return organization;
  }
}
