import { Injectable } from '@nestjs/common';
import { NotificationsConfig } from '../notifications.config';

/** Where a notification sends the reader: the referral's page, which shows only what the reader may see. */
@Injectable()
export class ReferralLink {
  constructor(private readonly config: NotificationsConfig) {}

  to(referralId: string): string {
    return `${this.config.NWD_REFERRAL_LINK_BASE_URL}/${referralId}`;
  }
}
