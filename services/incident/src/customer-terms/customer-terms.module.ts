import { Module } from '@nestjs/common';
import { CustomerTerms } from './customer-terms';
import { CustomerTermsConsumer } from './customer-terms.consumer';
import { CustomerTermsRepository } from './customer-terms.repository';

@Module({ providers: [CustomerTermsRepository, CustomerTerms, CustomerTermsConsumer], exports: [CustomerTerms, CustomerTermsRepository] })
export class CustomerTermsModule {}
