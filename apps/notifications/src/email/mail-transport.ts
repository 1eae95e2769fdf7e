import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { NotificationsConfig } from '../notifications.config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The SMTP relay, through nodemailer. No pool: each send opens its own connection, so a relay that
 * went away and came back is simply reached again by the next attempt.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;

  constructor(private readonly config: NotificationsConfig) {
    this.transporter = createTransport({
      host: config.NWD_SMTP_HOST,
      port: config.NWD_SMTP_PORT,
      secure: config.NWD_SMTP_SECURE,
      ...(config.NWD_SMTP_USER ? { auth: { user: config.NWD_SMTP_USER, pass: config.NWD_SMTP_PASSWORD } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({ from: this.config.NWD_MAIL_FROM, ...message });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
