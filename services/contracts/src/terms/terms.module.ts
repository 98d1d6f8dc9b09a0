import { Module } from '@nestjs/common';
import { TermsRepository } from './terms.repository';
import { TermsResolver } from './terms.resolver';
import { TermsService } from './terms.service';

@Module({ providers: [TermsRepository, TermsService, TermsResolver], exports: [TermsService] })
export class TermsModule {}
