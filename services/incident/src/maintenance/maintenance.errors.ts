import { defineDomainErrors } from '@kanshi/errors';

export const MaintenanceError = defineDomainErrors('MaintenanceError', {
  // Missing, or another tenant's.
  MAINTENANCE_WINDOW_NOT_FOUND: 'NOT_FOUND',
  WORK_ORDER_NOT_FOUND: 'NOT_FOUND',
  // The end is not after the start, or the period is too long.
  BAD_PERIOD: 'BAD_USER_INPUT',
  // The sensor is not one of the customer's (or not known to the incident service yet).
  SENSOR_NOT_OF_CUSTOMER: 'BAD_USER_INPUT',
  // A cancelled window cannot be changed.
  WINDOW_CANCELLED: 'BAD_USER_INPUT',
  // The work order's outcome was already recorded.
  OUTCOME_ALREADY_RECORDED: 'BAD_USER_INPUT',
});
