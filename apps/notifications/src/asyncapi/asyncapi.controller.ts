import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@nwd/auth';
import { BaseConfig } from '@nwd/config';
import { AsyncApiDocument, partnerFeedsAsyncApi } from './asyncapi-document';

// Beside /docs/openapi.json, and like it not an operation of the OpenAPI document.
@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  private readonly document: AsyncApiDocument;

  constructor(config: BaseConfig) {
    this.document = partnerFeedsAsyncApi({ natsUrl: config.NATS_URL, prefix: config.NWD_NATS_PREFIX, version: '1.0.0' });
  }

  @Public()
  @Get('asyncapi.json')
  @Header('cache-control', 'public, max-age=300')
  asyncApi(): AsyncApiDocument {
    return this.document;
  }
}
