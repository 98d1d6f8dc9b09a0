import { Module } from '@nestjs/common';
import { ReportMailer } from './report-mailer';

// Sending reports out: e-mail with the PDF attached.
@Module({ providers: [ReportMailer], exports: [ReportMailer] })
export class DeliveryModule {}
