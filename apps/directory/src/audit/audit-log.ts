import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@nwd/auth';
import { RequestContext } from '@nwd/observability';
import { Clock } from '@nwd/clock';
import { AuditEvent } from './audit-event.entity';

export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.updated',
  'organization.suspended',
  'organization.reactivated',
  'organization.protections-changed',
  'client.created',
  'client.rotated',
  'client.updated',
  'client.revoked',
  'listing.updated',
  'listing.capacity-changed',
  'listing.schedules-replaced',
  'listing.verified',
  'listing.confidentiality-set',
  'listing.confidentiality-lifted',
  'listing.location-updated',
  'listing.imported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an action was done to: a network organization or client, a listing (a service) or its location, an import. */
export type AuditTargetType = 'organization' | 'client' | 'service' | 'location' | 'import';

/** Who did it: a verified caller, or the service itself (boot-time bootstrap, the CLI). */
export type AuditActor = Principal | { subject: string; organizationId?: undefined };

export interface AuditQuery {
  action?: string;
  targetId?: string;
  /** Return events with an id below this one (newest first). */
  before?: number;
  limit: number;
}

/**
 * Administrative actions and listing changes, written in the transaction of the action itself; the table refuses
 * UPDATE and DELETE.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock = new Clock(),
  ) {}

  async record(
    manager: EntityManager,
    actor: AuditActor,
    action: AuditAction,
    target: { type: AuditTargetType; id: string },
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await manager.insert(AuditEvent, {
      occurredAt: this.clock.now(),
      action,
      actorSubject: actor.subject,
      actorOrganizationId: actor.organizationId ?? null,
      targetType: target.type,
      targetId: target.id,
      details: details as AuditEvent['details'] & object,
      requestId: RequestContext.requestId() ?? null,
    });
  }

  list(query: AuditQuery): Promise<AuditEvent[]> {
    const builder = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').orderBy('e.id', 'DESC').take(query.limit);
    if (query.action) builder.andWhere('e.action = :action', { action: query.action });
    if (query.targetId) builder.andWhere('e.target_id = :targetId', { targetId: query.targetId });
    if (query.before) builder.andWhere('e.id < :before', { before: query.before });
    return builder.getMany();
  }
}
