import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '@nwd/auth';
import { BaseConfig } from '@nwd/config';
import { NatsClient } from '@nwd/messaging';
import { ComponentState, HealthResponse } from './dto/health.response';


@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly config: BaseConfig,
    private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthResponse, description: 'Database and NATS are reachable' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'A dependency is down' })
  @ApiOperation({ summary: 'Health of the service and its dependencies' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const [database, nats] = await Promise.all([this.database(), Promise.resolve(this.natsState())]);
    const status = database === 'up' && nats === 'up' ? 'ok' : 'error';
    reply.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, service: this.config.serviceName, components: { database, nats } };
  }

  private async database(): Promise<ComponentState> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return 'up';
    } catch {
      return 'down';
    }
  }

  private natsState(): ComponentState {
    return this.nats.isConnected() ? 'up' : 'down';
  }
}
