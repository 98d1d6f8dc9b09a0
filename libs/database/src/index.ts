export { createServiceDataSource, migrateSchema, revertLastMigration, ensureDatabase, dropDatabase, databaseNameOf, withDatabase, migrationsGlob } from './data-source';
export type { ServiceDatabaseOptions } from './data-source';
export { messagingTablesV1, messagingTablesV2 } from './messaging-tables';
