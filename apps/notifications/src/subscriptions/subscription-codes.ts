export const NOTIFICATION_CHANNELS = ['email', 'in-app'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Languages with mail templates (email/mail-templates.ts holds one wording per language). */
export const NOTIFICATION_LANGUAGES = ['en', 'es'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

export const DIGEST_FREQUENCIES = ['daily'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
