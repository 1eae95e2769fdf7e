import { Global, Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics';

@Global()
@Module({
  providers: [MetricsRegistry],
  exports: [MetricsRegistry],
})
export class ObservabilityModule {}
