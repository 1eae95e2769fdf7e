import { BaseConfig } from '@nwd/config';

export class NotificationsConfig extends BaseConfig {
  readonly serviceName = 'notifications';
  override PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_notifications';
}
