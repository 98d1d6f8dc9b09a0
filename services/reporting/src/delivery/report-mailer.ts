import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';

export interface ReportMail {
  // The report's id: the Message-ID is made from it, so a retried send is the same message.
  reportId: string;
  to: string[];
  subject: string;
  text: string;
  filename: string;
  pdf: Buffer;
}

// E-mails reports to customers' contacts as PDF attachments through SMTP_URL.
@Injectable()
export class ReportMailer implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: ReportingConfig) {}

  get configured(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  static messageIdOf(reportId: string): string {
    return `<report-${reportId}@kanshi.reporting>`;
  }

  // Resolves once the relay accepted the message for every recipient; throws otherwise (the caller's job retries).
  async send(mail: ReportMail): Promise<{ messageId: string }> {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set: reports cannot be mailed');
    this.transport ??= nodemailer.createTransport(this.config.SMTP_URL);
    const messageId = ReportMailer.messageIdOf(mail.reportId);
    const info = await this.transport.sendMail({
      from: this.config.REPORT_MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId,
      attachments: [{ filename: mail.filename, content: mail.pdf, contentType: 'application/pdf' }],
    });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length) throw new Error(`the relay refused ${rejected.join(', ')}`);
    return { messageId };
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
