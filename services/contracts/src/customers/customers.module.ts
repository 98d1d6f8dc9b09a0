import { Module } from '@nestjs/common';
import { CustomersRepository } from './customers.repository';
import { CustomersResolver, PartnersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';

@Module({ providers: [CustomersRepository, CustomersService, CustomersResolver, PartnersResolver], exports: [CustomersService] })
export class CustomersModule {}
