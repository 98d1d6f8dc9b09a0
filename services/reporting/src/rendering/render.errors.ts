import { defineDomainErrors } from '@kanshi/errors';

// Why a PDF could not be made. A job rendering a report retries on these.
export const RenderError = defineDomainErrors('RenderError', {
  RENDER_TIMEOUT: 'UNAVAILABLE',
  RENDER_FAILED: 'UNAVAILABLE',
});
