export const ALERT_GROUP_STATUSES = ['OPEN', 'CLOSED'] as const;
export type AlertGroupStatusValue = (typeof ALERT_GROUP_STATUSES)[number];

export const ALERT_GROUP_STATUS_MEANINGS: Readonly<Record<AlertGroupStatusValue, string>> = {
  OPEN: 'Related alerts may still join: an alert joined within the grouping window and no analyst closed it',
  CLOSED: 'No alert joined for the grouping window, or an analyst closed it; new related alerts start a new group',
};
