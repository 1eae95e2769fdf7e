import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Principal } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { DomainError } from '@nwd/errors';
import { NotificationsConfig } from '../notifications.config';
import { CreateWebhookDto, ReplayDto, UpdateWebhookDto } from './dto/webhook.dto';
import { WebhookDeliveryResponse, WebhookEndpointResponse, WebhookEndpointWithSecretResponse } from './dto/webhook.response';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpoint, WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSecretCipher } from './webhook-secret.cipher';
import { newSigningSecret } from './webhook-signer';
import { WebhookTargetGuard, WebhookTargetRefused } from './webhook-target.guard';

/** An organization's webhook endpoints and their delivery log: always the caller's organization's own. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly guard: WebhookTargetGuard,
    private readonly cipher: WebhookSecretCipher,
    private readonly clock: Clock,
    private readonly config: NotificationsConfig,
  ) {}

  async create(principal: Principal, body: CreateWebhookDto): Promise<WebhookEndpointWithSecretResponse> {
    await this.checkTarget(body.url);
    const now = this.clock.now();
    const secret = newSigningSecret();
    const endpoint: WebhookEndpoint = {
      id: uuidv7(),
      organizationId: principal.organizationId,
      url: body.url,
      events: [...body.events],
      status: 'active',
      disabledReason: null,
      secretSealed: this.cipher.encrypt(secret),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.insert(endpoint);
    return { ...view(endpoint, now), secret };
  }

  async list(principal: Principal): Promise<{ items: WebhookEndpointResponse[] }> {
    const now = this.clock.now();
    return { items: (await this.endpoints.list(principal.organizationId)).map((e) => view(e, now)) };
  }

  async read(principal: Principal, id: string): Promise<WebhookEndpointResponse> {
    return view(await this.find(principal, id), this.clock.now());
  }

  async update(principal: Principal, id: string, body: UpdateWebhookDto): Promise<WebhookEndpointResponse> {
    if (body.url !== undefined) await this.checkTarget(body.url);
    const now = this.clock.now();
    const updated = await this.endpoints.update(principal.organizationId, id, body, now);
    if (!updated) throw notFound();
    return view(updated, now);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.endpoints.delete(principal.organizationId, id))) throw notFound();
  }

  /** A new secret, shown once; the previous one keeps signing beside it for the configured overlap. */
  async rotateSecret(principal: Principal, id: string): Promise<WebhookEndpointWithSecretResponse> {
    const now = this.clock.now();
    const secret = newSigningSecret();
    const overlapEnds = new Date(now.getTime() + this.config.NWD_WEBHOOK_SECRET_OVERLAP_SECONDS * 1000);
    const rotated = await this.endpoints.rotate(principal.organizationId, id, this.cipher.encrypt(secret), overlapEnds, now);
    if (!rotated) throw notFound();
    return { ...view(rotated, now), secret };
  }

  async deliveryLog(principal: Principal, id: string, limit = 50): Promise<{ items: WebhookDeliveryResponse[] }> {
    await this.find(principal, id);
    const entries = await this.deliveries.logFor(principal.organizationId, id, limit);
    return { items: entries.map((e) => JSON.parse(JSON.stringify(e)) as WebhookDeliveryResponse) };
  }

  /** Queues one delivery again; answers it as queued. */
  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
    await this.find(principal, id);
    if (!(await this.deliveries.redeliver(principal.organizationId, id, deliveryId, this.clock.now()))) {
      throw DomainError.notFound('notifications.webhook-delivery-not-found', `No delivery ${deliveryId} to webhook ${id}`);
    }
    const [entry] = await this.deliveries.logFor(principal.organizationId, id, 1, deliveryId);
    return JSON.parse(JSON.stringify(entry)) as WebhookDeliveryResponse;
  }

  async replay(principal: Principal, id: string, body: ReplayDto): Promise<{ queued: number }> {
    await this.find(principal, id);
    const since = new Date(body.since);
    const until = new Date(body.until);
    if (until <= since) throw DomainError.invalidField('until', 'until must be after since');
    return { queued: await this.deliveries.replay(principal.organizationId, id, since, until, this.clock.now()) };
  }

  private async find(principal: Principal, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.get(principal.organizationId, id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  /** Registration resolves the target too; delivery checks it again, since names can change what they point at. */
  private async checkTarget(url: string): Promise<void> {
    try {
      await this.guard.pin(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw DomainError.invalidField('url', error.reason);
      throw error;
    }
  }
}

function notFound(): DomainError {
  return DomainError.notFound('notifications.webhook-not-found', 'No such webhook endpoint in your organization');
}

function view(endpoint: WebhookEndpoint, now: Date): WebhookEndpointResponse {
  const overlapping = endpoint.previousSecretExpiresAt && new Date(endpoint.previousSecretExpiresAt) > now;
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    previousSecretExpiresAt: overlapping ? new Date(endpoint.previousSecretExpiresAt!).toISOString() : null,
    createdAt: new Date(endpoint.createdAt).toISOString(),
    updatedAt: new Date(endpoint.updatedAt).toISOString(),
  };
}
