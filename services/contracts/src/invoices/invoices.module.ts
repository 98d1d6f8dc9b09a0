import { Module } from '@nestjs/common';
import { DocumentNumbersRepository } from '../common/document-numbers.repository';
import { CustomersModule } from '../customers/customers.module';
import { QuotesModule } from '../quotes/quotes.module';
import { BillingRunService } from './billing-run.service';
import { InvoiceEventsConsumer } from './invoice-events.consumer';
import { InvoicesRepository } from './invoices.repository';
import { BillingRunResolver, InvoicesResolver } from './invoices.resolver';
import { InvoicesService } from './invoices.service';
import { MonthlyBillingService } from './monthly-billing.service';

@Module({
  imports: [CustomersModule, QuotesModule],
  providers: [InvoicesRepository, InvoicesService, BillingRunService, InvoicesResolver, BillingRunResolver, InvoiceEventsConsumer, DocumentNumbersRepository, MonthlyBillingService],
  exports: [InvoicesService, InvoicesRepository, BillingRunService],
})
export class InvoicesModule {}
