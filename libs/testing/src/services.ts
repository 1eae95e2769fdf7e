import { BaseConfig } from '@nwd/config';
import { ConsentConfig } from '../../../apps/consent/src/consent.config';
import { migrations as consentMigrations } from '../../../apps/consent/src/database/migrations';
import { DirectoryConfig } from '../../../apps/directory/src/directory.config';
import { migrations as directoryMigrations } from '../../../apps/directory/src/database/migrations';
import { NotificationsConfig } from '../../../apps/notifications/src/notifications.config';
import { migrations as notificationsMigrations } from '../../../apps/notifications/src/database/migrations';
import { ReferralConfig } from '../../../apps/referral/src/referral.config';
import { migrations as referralMigrations } from '../../../apps/referral/src/database/migrations';
import { ReportingConfig } from '../../../apps/reporting/src/reporting.config';
import { migrations as reportingMigrations } from '../../../apps/reporting/src/database/migrations';

export type ServiceName = 'referral' | 'directory' | 'consent' | 'notifications' | 'reporting';

/** The services' own migration lists: tests build their databases exactly as the services do at boot. */
export const SERVICE_MIGRATIONS: Record<ServiceName, Function[]> = {
  referral: referralMigrations,
  directory: directoryMigrations,
  consent: consentMigrations,
  notifications: notificationsMigrations,
  reporting: reportingMigrations,
};

export const SERVICE_CONFIGS: Record<ServiceName, new () => BaseConfig> = {
  referral: ReferralConfig,
  directory: DirectoryConfig,
  consent: ConsentConfig,
  notifications: NotificationsConfig,
  reporting: ReportingConfig,
};
