import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '@nwd/errors';
import { HsdsService } from '../hsds/hsds-service.entity';

/** A weekly schedule of a service's own, as maintenance writes it. */
export interface WeeklySchedule {
  byday: string;
  opens_at: string;
  closes_at: string;
  description?: string | null;
}

/** A service that crossed the freshness period, as the sweep marked it. */
export interface StaleListing {
  id: string;
  organization_id: string;
  maintainer_organization_id: string | null;
  verified_at: Date;
}

/** The HSDS rows a listing's maintenance reads and writes, in the caller's transaction. */
@Injectable()
export class ListingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<HsdsService | null> {
    return this.dataSource.manager.findOneBy(HsdsService, { id });
  }

  get(manager: EntityManager, id: string): Promise<HsdsService> {
    return manager.findOneByOrFail(HsdsService, { id });
  }

  /** Locks the service for an edit in the caller's transaction. */
  async getForUpdate(manager: EntityManager, id: string): Promise<HsdsService> {
    const service = await manager.findOne(HsdsService, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!service) throw DomainError.notFound('directory.service-not-found', `No service ${id} in the directory`);
    return service;
  }

  async update(manager: EntityManager, id: string, changes: Partial<HsdsService>): Promise<void> {
    await manager.update(HsdsService, { id }, changes);
  }

  /** The service's own schedules (not those it has at a location) become these. */
  async replaceSchedules(manager: EntityManager, serviceId: string, schedules: WeeklySchedule[]): Promise<void> {
    await manager.query(`DELETE FROM hsds_schedule WHERE service_id = $1 AND service_at_location_id IS NULL`, [serviceId]);
    for (const schedule of schedules) {
      await manager.query(
        `INSERT INTO hsds_schedule (id, service_id, freq, byday, opens_at, closes_at, description) VALUES ($1, $2, 'WEEKLY', $3, $4, $5, $6)`,
        [uuidv7(), serviceId, schedule.byday, schedule.opens_at, schedule.closes_at, schedule.description ?? null],
      );
    }
  }

  /** Locks the services delivered at a location, then the location; false when there is no such location. */
  async lockLocation(manager: EntityManager, locationId: string): Promise<{ found: boolean; services: HsdsService[] }> {
    const services: HsdsService[] = await manager
      .createQueryBuilder(HsdsService, 's')
      .innerJoin('hsds_service_at_location', 'sal', 'sal.service_id = s.id')
      .where('sal.location_id = :locationId', { locationId })
      .setLock('pessimistic_write', undefined, ['s'])
      .getMany();
    const [location] = await manager.query(`SELECT id FROM hsds_location WHERE id = $1 FOR UPDATE`, [locationId]);
    return { found: location !== undefined, services };
  }

  /** `changes` are HSDS location columns, checked by the caller's DTO. */
  async updateLocation(manager: EntityManager, locationId: string, changes: Record<string, unknown>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [locationId];
    for (const [column, value] of Object.entries(changes)) {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length) await manager.query(`UPDATE hsds_location SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async isHidden(manager: EntityManager, locationId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM hsds_confidential_location WHERE location_id = $1`, [locationId]);
    return rows.length > 0;
  }

  /** Marks the services not verified within the period, once each, and returns them. */
  async markStale(manager: EntityManager, now: Date, staleAfterDays: number): Promise<StaleListing[]> {
    const updated: [StaleListing[], number] = await manager.query(
      `UPDATE hsds_service SET stale_since = $1
        WHERE stale_since IS NULL AND coalesce(last_verified_at, listed_at) < $1::timestamptz - make_interval(days => $2)
        RETURNING id, organization_id, maintainer_organization_id, coalesce(last_verified_at, listed_at) AS verified_at`,
      [now, staleAfterDays],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    return updated[0];
  }
}
