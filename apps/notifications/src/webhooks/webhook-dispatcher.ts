import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import { Clock } from '@nwd/clock';
import { PlatformAlerts } from '../deliveries/platform-alerts';
import { NotificationsConfig } from '../notifications.config';
import { AttemptRecord, ClaimedDelivery, DELIVERY_CHANNEL, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { decideRetry, isDelivered, RetrySchedule } from './webhook-retry';
import { WebhookSecretCipher } from './webhook-secret.cipher';
import { WebhookSender } from './webhook-sender';
import { signDelivery } from './webhook-signer';

/**
 * Sends what the queue holds. Woken at once by the NOTIFY of a commit that queued deliveries, and
 * on a timer for retries coming due; everything it knows comes from the queue's rows, so a
 * restart (or another replica) picks up exactly where this one stopped.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly schedule: RetrySchedule;
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private readonly loops = new Set<Promise<void>>();
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: NotificationsConfig,
    private readonly clock: Clock,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly cipher: WebhookSecretCipher,
    private readonly sender: WebhookSender,
    private readonly alerts: PlatformAlerts,
  ) {
    this.schedule = {
      baseMs: config.NWD_WEBHOOK_RETRY_BASE_SECONDS * 1000,
      maxDelayMs: config.NWD_WEBHOOK_RETRY_MAX_DELAY_SECONDS * 1000,
      windowMs: config.NWD_WEBHOOK_RETRY_WINDOW_HOURS * 3_600_000,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.NWD_WEBHOOK_POLL_MS <= 0) return;
    await this.listen().catch((error) => this.logger.warn({ msg: 'webhook wake-ups unavailable; polling', err: String(error) }));
    this.timer = setInterval(() => {
      if (!this.listener) void this.listen().catch(() => undefined);
      this.kick();
    }, this.config.NWD_WEBHOOK_POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.loops]);
    await this.listener?.end().catch(() => undefined);
    this.sender.close();
  }

  /**
   * Runs batches until nothing is due, in up to NWD_WEBHOOK_WORKERS loops at once (SKIP LOCKED
   * keeps them apart), so a delivery queued while a batch waits on slow receivers is not stuck
   * behind it; a wake-up while every loop is busy makes one of them look once more.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.loops.size >= this.config.NWD_WEBHOOK_WORKERS) {
      this.again = true;
      return;
    }
    const loop: Promise<void> = Promise.resolve()
      .then(async () => {
        do {
          this.again = false;
          while (!this.stopped && (await this.runOnce()) > 0);
        } while (this.again && !this.stopped);
      })
      .catch((error) => this.logger.error({ msg: 'webhook dispatch failed; will retry', err: String(error) }))
      .finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /** Claims one batch of due deliveries, sends them side by side, and records the answers together; returns how many. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.deliveries.claim(now, this.config.NWD_WEBHOOK_CONCURRENCY, this.config.NWD_WEBHOOK_TIMEOUT_MS + 30_000);
    const answered = await Promise.all(claimed.map(async (delivery) => ({ delivery, attempt: await this.send(delivery) })));
    const outcomes: { id: string; attempt: AttemptRecord; retryAt?: Date }[] = [];
    for (const { delivery, attempt } of answered) {
      if (attempt.statusCode !== null && isDelivered(attempt.statusCode)) {
        outcomes.push({ id: delivery.id, attempt });
        continue;
      }
      const decision = decideRetry(this.schedule, delivery.attempts, delivery.windowStartedAt, this.clock.now());
      if (decision.action === 'retry') {
        outcomes.push({ id: delivery.id, attempt, retryAt: decision.at });
        continue;
      }
      const reason = `deliveries failed for ${this.config.NWD_WEBHOOK_RETRY_WINDOW_HOURS} h (last: ${attempt.error})`;
      this.logger.warn({ msg: 'webhook endpoint disabled', endpointId: delivery.endpointId, reason });
      // The admins hear of it in the same transaction: in their inbox, and by mail where they subscribed one.
      await this.deliveries.giveUp(delivery, attempt, reason, (manager) =>
        this.alerts.raise(
          delivery.organizationId,
          { code: 'webhook-endpoint-disabled', subjectId: delivery.endpointId, link: `/v1/webhooks/${delivery.endpointId}`, dedupeKey: `webhook-disabled:${delivery.endpointId}:${attempt.attemptedAt.toISOString()}` },
          manager,
        ),
      );
    }
    await this.deliveries.record(outcomes);
    return claimed.length;
  }

  private async send(delivery: ClaimedDelivery): Promise<AttemptRecord> {
    const attemptedAt = this.clock.now();
    const secrets = [this.cipher.decrypt(delivery.secretSealed)];
    if (delivery.previousSecretSealed && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt > attemptedAt) {
      secrets.push(this.cipher.decrypt(delivery.previousSecretSealed));
    }
    const headers = signDelivery(delivery.id, attemptedAt, delivery.body, secrets);
    const result = await this.sender.send(delivery.url, { ...headers }, delivery.body);
    return {
      attemptedAt,
      statusCode: result.statusCode ?? null,
      durationMs: result.durationMs,
      error: result.error ?? (isDelivered(result.statusCode) ? null : `answered ${result.statusCode}`),
    };
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'nwd-webhook-dispatcher' });
    client.on('error', () => {
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    client.on('notification', () => this.kick());
    await client.connect();
    await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
    if (this.stopped) await client.end();
    else this.listener = client;
  }
}
