// The provider's outgoing relay over SMTP (nodemailer). A mail counts as delivered when the relay
// accepted it for every recipient (250 after DATA); anything else is an error the caller retries.
// Connections are pooled (at most MAIL_POOL_CONNECTIONS, each reused for up to 100 messages):
// a burst of incidents costs one greeting, EHLO and STARTTLS per connection, not per mail.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  // Without angle brackets' content checks: `<id@kanshi>`. A resend carries the same one.
  messageId: string;
  language: 'ja' | 'en';
}

export interface MailAccepted {
  // The relay's answer, e.g. `250 2.0.0 Ok: queued as 4F2`.
  response: string;
  messageId: string;
}

@Injectable()
export class MailAdapter implements OnModuleDestroy {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig) {
    const u = new URL(config.SMTP_URL);
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: config.MAIL_POOL_CONNECTIONS,
      maxMessages: 100,
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
      secure: u.protocol === 'smtps:',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      // STARTTLS when the relay offers it; a relay on loopback (the dev sink, tests) may have no certificate.
      tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname) },
      connectionTimeout: config.MAIL_TIMEOUT_MS,
      greetingTimeout: config.MAIL_TIMEOUT_MS,
      socketTimeout: config.MAIL_TIMEOUT_MS,
    });
  }

  async send(mail: OutgoingMail): Promise<MailAccepted> {
    const info = await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      headers: { 'Content-Language': mail.language },
    });
    if (info.rejected.length) throw new Error(`the relay refused ${info.rejected.map(String).join(', ')}: ${info.response}`);
    return { response: info.response, messageId: info.messageId };
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
