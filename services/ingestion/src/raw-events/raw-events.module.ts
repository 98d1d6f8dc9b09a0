import { Module } from '@nestjs/common';
import { StorageModule } from '../storage.module';
import { RawEventsResolver } from './raw-events.resolver';
import { RawEventsService } from './raw-events.service';

@Module({ imports: [StorageModule], providers: [RawEventsService, RawEventsResolver] })
export class RawEventsModule {}
