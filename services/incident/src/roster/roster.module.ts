import { Module } from '@nestjs/common';
import { RosterRepository } from './roster.repository';
import { RosterResolver } from './roster.resolver';
import { DutyRoster } from './roster.service';

@Module({ providers: [RosterRepository, DutyRoster, RosterResolver], exports: [DutyRoster] })
export class RosterModule {}
