import { EventDefinition } from './envelope';
import * as contracts from './contracts.events';
import * as ingestion from './ingestion.events';
import * as analysis from './analysis.events';
import * as incident from './incident.events';
import * as response from './response.events';
import * as reporting from './reporting.events';
import * as audit from './audit.events';

function definitions(mod: Record<string, unknown>): EventDefinition<unknown>[] {
  return Object.values(mod).filter((v): v is EventDefinition<unknown> => typeof v === 'object' && v !== null && 'subject' in v && 'stream' in v);
}

// Every event in the system, for documentation, validation tests and tooling.
export const EVENT_CATALOGUE: EventDefinition<unknown>[] = [contracts, ingestion, analysis, incident, response, reporting, audit].flatMap(definitions);
