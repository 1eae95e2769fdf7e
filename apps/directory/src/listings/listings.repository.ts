import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SystemAccess, Viewer } from '@nwd/auth';
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

/** Whether `editor` maintains the service: its maintaining organization's, or any for a network admin. */
export function maintains(editor: Viewer, service: Pick<HsdsService, 'maintainerOrganizationId'>): boolean {
  return editor.networkAdmin || service.maintainerOrganizationId === editor.organizationId;
}

/** A write the service already allowed found nothing of the editor's: a bug, not a caller's error. */
function assertWritten(affected: number | null | undefined, editor: Viewer, what: string): void {
  if (!affected) throw new Error(`${what} is not maintained by ${editor.organizationId}; nothing written`);
}

/**
 * The HSDS rows a listing's maintenance reads and writes, in the caller's transaction. Every write takes the
 * editor and writes only what it maintains, so a write without the tenant filter does not type-check. Reading
 * a listing needs no viewer: the directory is every member's (what is confidential is a location, kept out
 * of the summaries and the open data elsewhere).
 */
@Injectable()
export class ListingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<HsdsService | null> {
    return this.dataSource.manager.findOneBy(HsdsService, { id });
  }

  /** The service as the editor's change left it. */
  get(manager: EntityManager, editor: Viewer, id: string): Promise<HsdsService> {
    return manager.findOneByOrFail(HsdsService, editor.networkAdmin ? { id } : { id, maintainerOrganizationId: editor.organizationId });
  }

  /** Locks the service for an edit in the caller's transaction; `maintained` says whether `editor` may make it. */
  async getForUpdate(manager: EntityManager, editor: Viewer, id: string): Promise<{ service: HsdsService; maintained: boolean }> {
    const service = await manager.findOne(HsdsService, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!service) throw DomainError.notFound('directory.service-not-found', `No service ${id} in the directory`);
    return { service, maintained: maintains(editor, service) };
  }

  async update(manager: EntityManager, editor: Viewer, id: string, changes: Partial<HsdsService>): Promise<void> {
    const maintained = editor.networkAdmin ? { id } : { id, maintainerOrganizationId: editor.organizationId };
    assertWritten((await manager.update(HsdsService, maintained, changes)).affected, editor, `Service ${id}`);
  }

  /** The service's own schedules (not those it has at a location) become these. */
  async replaceSchedules(manager: EntityManager, editor: Viewer, serviceId: string, schedules: WeeklySchedule[]): Promise<void> {
    const [service] = await manager.query(`SELECT 1 FROM hsds_service WHERE id = $1 AND ($2 OR maintainer_organization_id = $3)`, [
      serviceId,
      editor.networkAdmin,
      editor.organizationId,
    ]);
    assertWritten(service ? 1 : 0, editor, `Service ${serviceId}`);
    await manager.query(`DELETE FROM hsds_schedule WHERE service_id = $1 AND service_at_location_id IS NULL`, [serviceId]);
    for (const schedule of schedules) {
      await manager.query(
        `INSERT INTO hsds_schedule (id, service_id, freq, byday, opens_at, closes_at, description) VALUES ($1, $2, 'WEEKLY', $3, $4, $5, $6)`,
        [uuidv7(), serviceId, schedule.byday, schedule.opens_at, schedule.closes_at, schedule.description ?? null],
      );
    }
  }

  /**
   * Locks the services delivered at a location, then the location; `found` false when there is no such
   * location, `maintained` the services there that `editor` maintains.
   */
  async lockLocation(
    manager: EntityManager,
    editor: Viewer,
    locationId: string,
  ): Promise<{ found: boolean; services: HsdsService[]; maintained: HsdsService[] }> {
    const services: HsdsService[] = await manager
      .createQueryBuilder(HsdsService, 's')
      .innerJoin('hsds_service_at_location', 'sal', 'sal.service_id = s.id')
      .where('sal.location_id = :locationId', { locationId })
      .setLock('pessimistic_write', undefined, ['s'])
      .getMany();
    const [location] = await manager.query(`SELECT id FROM hsds_location WHERE id = $1 FOR UPDATE`, [locationId]);
    return { found: location !== undefined, services, maintained: services.filter((service) => maintains(editor, service)) };
  }

  /**
   * `changes` are HSDS location columns, checked by the caller's DTO. A shared location is written only when
   * the editor maintains every service delivered there (a network admin: any).
   */
  async updateLocation(manager: EntityManager, editor: Viewer, locationId: string, changes: Record<string, unknown>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [locationId, editor.networkAdmin, editor.organizationId];
    for (const [column, value] of Object.entries(changes)) {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (!sets.length) return;
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE hsds_location SET ${sets.join(', ')}
        WHERE id = $1 AND ($2 OR NOT EXISTS (SELECT 1 FROM hsds_service_at_location sal JOIN hsds_service s ON s.id = sal.service_id
                                             WHERE sal.location_id = $1 AND s.maintainer_organization_id IS DISTINCT FROM $3))`,
      params,
    );
    assertWritten(affected, editor, `Location ${locationId}`);
  }

  async isHidden(manager: EntityManager, locationId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM hsds_confidential_location WHERE location_id = $1`, [locationId]);
    return rows.length > 0;
  }

  /** Marks the services not verified within the period, once each, and returns them: every tenant's, by the sweep. */
  async markStale(manager: EntityManager, _sweep: SystemAccess, now: Date, staleAfterDays: number): Promise<StaleListing[]> {
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
