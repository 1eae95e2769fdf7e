import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per application instance: several services booted in one test process must not
 * collide in prom-client's global registry.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Set by the messaging layer: read at scrape time, so the figures are current without a timer. */
  outboxBacklogProbe?: () => Promise<number>;
  consumerLagProbe?: () => Promise<Record<string, number>>;

  readonly outboxBacklog: Gauge = new Gauge({
    name: 'outbox_backlog_events',
    help: 'Events committed to the outbox and not yet acknowledged by JetStream',
    registers: [this.registry],
    collect: async () => {
      // A failing probe (database down) keeps the last value rather than failing the whole scrape.
      const backlog = await this.outboxBacklogProbe?.().catch(() => undefined);
      if (backlog !== undefined) this.outboxBacklog.set(backlog);
    },
  });

  readonly outboxPublished = new Counter({
    name: 'outbox_published_events_total',
    help: 'Events the outbox relay published and JetStream acknowledged',
    registers: [this.registry],
  });

  readonly consumerLag: Gauge<'consumer'> = new Gauge({
    name: 'consumer_lag_messages',
    help: 'Messages not yet handled by a durable consumer (pending plus awaiting ack)',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
    collect: async () => {
      const lag = (await this.consumerLagProbe?.().catch(() => undefined)) ?? {};
      for (const [consumer, pending] of Object.entries(lag)) this.consumerLag.labels(consumer).set(pending);
    },
  });

  readonly consumerHandled = new Counter({
    name: 'consumer_handled_messages_total',
    help: 'Messages handled by a consumer, by result',
    labelNames: ['consumer', 'result'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'dead_lettered_messages_total',
    help: 'Messages parked on the dead-letter stream after their last delivery',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
