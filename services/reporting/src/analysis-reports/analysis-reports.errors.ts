import { defineDomainErrors } from '@kanshi/errors';

export const AnalysisReportError = defineDomainErrors('AnalysisReportError', {
  // Missing and another tenant's incident look alike.
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
  // The renderer failed: the report is retried in the background and appears in `reports` once made.
  RENDER_RETRYING: 'UNAVAILABLE',
  // The PDF store (S3) refused or did not answer: the report is retried in the background likewise.
  STORAGE_RETRYING: 'UNAVAILABLE',
});
