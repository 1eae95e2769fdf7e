import 'reflect-metadata';
import { runService } from '@nwd/http';
import { NotificationsAppModule } from './notifications-app.module';
import { NotificationsConfig } from './notifications.config';

void runService({
  config: NotificationsConfig,
  module: (config) => NotificationsAppModule.forRoot(config),
  title: 'No Wrong Door — Notifications service',
  description: 'Delivers referral events to partners: NATS feeds, signed webhooks, email and platform-standards reminders.',
});
