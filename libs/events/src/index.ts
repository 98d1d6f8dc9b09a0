export * from './envelope';
export * from './contracts.events';
export * from './ingestion.events';
export * from './analysis.events';
export * from './incident.events';
export * from './response.events';
export * from './reporting.events';
export { EVENT_CATALOGUE } from './catalogue';
export { CustomerRef } from './federation.stubs';
