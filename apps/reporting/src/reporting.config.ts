import { BaseConfig } from '@nwd/config';

export class ReportingConfig extends BaseConfig {
  readonly serviceName = 'reporting';
  override PORT = 3005;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_reporting';
}
