import { DashboardResponse, type DashboardRoom, ReportRoomsResponse } from '@yitang/shared';
import { api, field } from '../../lib/http';
import { type DashboardAsk, dashboardApiPath } from './dashboardQuery';

export function fetchDashboard(ask: DashboardAsk): Promise<DashboardResponse> {
  return api(dashboardApiPath(ask), DashboardResponse);
}

export function fetchReportRooms(): Promise<DashboardRoom[]> {
  return api('/api/reports/rooms', field('rooms', ReportRoomsResponse.shape.rooms));
}
