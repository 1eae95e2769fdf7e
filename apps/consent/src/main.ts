import 'reflect-metadata';
import { runService } from '@nwd/http';
import { ConsentAppModule } from './consent-app.module';
import { ConsentConfig } from './consent.config';

void runService({
  config: ConsentConfig,
  module: (config) => ConsentAppModule.forRoot(config),
  title: 'No Wrong Door — Consent service',
  description: 'Who may see what about a person: consents and the accounting of disclosures.',
});
