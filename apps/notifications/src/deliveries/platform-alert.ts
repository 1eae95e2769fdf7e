/** Notices of the platform itself to an organization's admins, beside the referral events they subscribe to. */
export const PLATFORM_ALERT_CODES = ['webhook-endpoint-disabled'] as const;
export type PlatformAlertCode = (typeof PLATFORM_ALERT_CODES)[number];

export interface PlatformAlert {
  code: PlatformAlertCode;
  /** What the alert is about, by id (e.g. the webhook endpoint's): never personal data. */
  subjectId?: string;
  /** Where to act on it (e.g. the endpoint in the API). */
  link?: string;
  /** Makes a repeated alert for the same happening a no-op (e.g. `webhook-disabled:<endpointId>:<disabledAt>`). */
  dedupeKey: string;
}
