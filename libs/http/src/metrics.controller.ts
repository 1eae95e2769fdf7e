import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@nwd/auth';
import { BaseConfig } from '@nwd/config';
import { DomainError } from '@nwd/errors';
import { MetricsRegistry } from '@nwd/observability';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus scrape endpoint. Open on a developer's machine (NODE_ENV development or test); in
 * production only for the bearer token in NWD_METRICS_TOKEN (none configured: nobody), since route
 * names, volumes and backlogs tell an outsider more than they should. Not an access token:
 * Prometheus has no OAuth client of the network.
 */
// Not in the partners' document: Prometheus scrapes it on each service directly, the gateway does not
// route it, and its route names and volumes are not for outsiders.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly config: BaseConfig,
  ) {
    if (config.NWD_METRICS_TOKEN) this.expected = digest(config.NWD_METRICS_TOKEN);
  }

  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.config.NODE_ENV === 'production') this.assertScraper(authorization);
    return this.metrics.registry.metrics();
  }

  private assertScraper(authorization: string | undefined): void {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (this.expected && given && timingSafeEqual(digest(given), this.expected)) return;
    throw DomainError.unauthenticated('metrics.token-required', 'GET /metrics requires the metrics bearer token');
  }
}
