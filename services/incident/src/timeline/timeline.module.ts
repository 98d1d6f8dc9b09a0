import { Module } from '@nestjs/common';
import { IncidentTimeline } from './incident-timeline';
import { TimelineRepository } from './timeline.repository';

@Module({ providers: [TimelineRepository, IncidentTimeline], exports: [IncidentTimeline] })
export class TimelineModule {}
