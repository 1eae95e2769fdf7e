import { Module } from '@nestjs/common';
import { AsyncApiController } from './asyncapi.controller';

/** The AsyncAPI 3 document of the partner feeds, at `GET /docs/asyncapi.json`. */
@Module({ controllers: [AsyncApiController] })
export class AsyncApiModule {}
