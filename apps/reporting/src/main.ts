import 'reflect-metadata';
import { runService } from '@nwd/http';
import { ReportingAppModule } from './reporting-app.module';
import { ReportingConfig } from './reporting.config';

void runService({
  config: ReportingConfig,
  module: (config) => ReportingAppModule.forRoot(config),
  title: 'No Wrong Door — Reporting service',
  description: 'De-identified network performance built from events: loop closure, compliance and equity.',
});
