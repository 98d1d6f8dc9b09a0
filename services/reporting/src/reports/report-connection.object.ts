import { connectionOf } from '@kanshi/platform';
import { ReportObject } from './report.object';

export const ReportConnection = connectionOf(ReportObject, 'Report');
