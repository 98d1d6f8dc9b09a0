import { EdrProductCode } from '@kanshi/events';

// The seam between the isolation / inventory / detection-pull modules and the four vendor
// adapters (issue 12). One adapter per vendor implements it; `EdrConnectorFactory.forCustomer`
// builds one from a customer's decrypted credentials. Nothing above this interface knows a
// vendor's URL, header or body; nothing below it knows Kanshi's tables.

// What a connector was configured with (decrypted only in memory, never logged).
export interface EdrCredentials {
  product: EdrProductCode;
  // The vendor's API base URL, e.g. https://api.crowdstrike.com (a local server in tests).
  baseUrl: string;
  // CrowdStrike: client id / secret. Carbon Black: API id / secret (+ orgKey). Cybereason and
  // FireEye HX: user name / password.
  clientId: string;
  secret: string;
  orgKey?: string;
}

// A host as the vendor knows it.
export interface VendorHost {
  agentId: string;
  hostName: string;
  ips: string[];
  os: string | null;
  lastSeenAt: string | null;
  // The vendor's containment state in Kanshi's words.
  containment: 'NORMAL' | 'PENDING' | 'CONTAINED' | 'RELEASE_PENDING';
}

// One request/response exchanged with the vendor, for the isolation log (no secrets, no tokens).
export interface VendorExchange {
  at: string;
  method: string;
  path: string;
  status: number | null;
  // A short excerpt of the answer (or the error), secrets removed.
  summary: string;
  durationMs: number;
}

export interface VendorActionResult {
  // Accepted by the vendor (containment may still be pending: confirm with `host`).
  accepted: boolean;
  // The vendor's own message when it refused.
  message: string | null;
  exchanges: VendorExchange[];
}

// A detection pulled from the vendor's console, in the record shape ingestion parses for `product`.
export interface PulledDetection {
  externalId: string;
  record: Record<string, unknown>;
}

export interface DetectionPage {
  detections: PulledDetection[];
  // Opaque; stored and handed back on the next pull. Null when the vendor returned nothing new.
  nextCursor: string | null;
}

export interface EdrConnector {
  readonly product: EdrProductCode;
  // Resolve a host by agent id (preferred) or host name; null when the vendor does not know it.
  findHost(query: { agentId?: string | null; hostName?: string | null }): Promise<VendorHost | null>;
  // Every host of the customer's tenant at the vendor (inventory sync), paged inside the adapter.
  listHosts(): Promise<VendorHost[]>;
  contain(agentId: string, context: { isolationId: string; incidentId: string }): Promise<VendorActionResult>;
  release(agentId: string, context: { isolationId: string; incidentId: string }): Promise<VendorActionResult>;
  // Detections / alerts / malops changed since `cursor` (null: the adapter's default look-back).
  pullDetections(cursor: string | null): Promise<DetectionPage>;
}

// Options of one connector built by EdrConnectorFactory.forCustomer.
export interface EdrConnectorOptions {
  // Called with every HTTP exchange (token requests included), secrets removed: the isolation log.
  onExchange?: (exchange: VendorExchange) => void;
}

// VendorError lives in its own file; re-exported here so `import { VendorError } from './edr-connector'` keeps working.
export { VendorError } from './vendor-error';
export type { VendorErrorKind } from './vendor-error';
