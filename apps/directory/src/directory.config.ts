import { BaseConfig } from '@nwd/config';

export class DirectoryConfig extends BaseConfig {
  readonly serviceName = 'directory';
  override PORT = 3002;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_directory';
}
