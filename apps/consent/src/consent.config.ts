import { BaseConfig } from '@nwd/config';

export class ConsentConfig extends BaseConfig {
  readonly serviceName = 'consent';
  override PORT = 3003;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_consent';
}
