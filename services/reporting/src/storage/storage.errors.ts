import { defineDomainErrors } from '@kanshi/errors';

// The PDF store could not be written or read (the S3-compatible store refused or did not answer).
// A job saving a report retries on it, as on a failed render.
export const StorageError = defineDomainErrors('StorageError', {
  STORAGE_UNAVAILABLE: 'UNAVAILABLE',
});
