import 'reflect-metadata';
import { runService } from '@nwd/http';
import { DirectoryAppModule } from './directory-app.module';
import { DirectoryConfig } from './directory.config';

void runService({
  config: DirectoryConfig,
  module: (config) => DirectoryAppModule.forRoot(config),
  title: 'No Wrong Door — Directory service',
  description: 'The network register (organizations, API clients, tokens) and the resource directory (Open Referral HSDS 3.0).',
});
