import { EntityManager } from 'typeorm';
import { ReportStorageKind } from '../reports/report.entity';

// Where the PDF bytes of a report live. ReportStore writes through `put` inside the transaction
// that inserts the report row (after the row, same id), downloads read through `get`.
export abstract class PdfStorage {
  abstract readonly kind: ReportStorageKind;
  // The key the bytes are kept under (stored as the row's storage_key).
  abstract keyOf(report: { id: string; customerId: string | null; ownerPartnerId: string | null }): string;
  abstract put(em: EntityManager, reportId: string, key: string, pdf: Buffer): Promise<void>;
  // null when the bytes are gone (never for a committed row unless someone deleted them).
  // `storage`: where the row says its bytes are (a row written before a switch of REPORT_STORAGE).
  abstract get(report: { id: string; storageKey: string | null; storage?: ReportStorageKind }): Promise<Buffer | null>;
}
