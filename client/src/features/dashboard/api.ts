import { DashboardResponse, type DashboardRoom, ReportRoomsResponse, ReportsAccess } from '@yitang/shared';
import { api, field } from '../../lib/http';
import { type DashboardAsk, dashboardApiPath } from './dashboardQuery';

export function fetchDashboard(ask: DashboardAsk): Promise<DashboardResponse> {
  return api(dashboardApiPath(ask), DashboardResponse);
}

export function fetchReportRooms(): Promise<DashboardRoom[]> {
  return api('/api/reports/rooms', field('rooms', ReportRoomsResponse.shape.rooms));
}

/** Whether the signed-in person may open the dashboards (the header offers the link only then). */
export async function fetchDashboardAccess(): Promise<boolean> {
  return (await api('/api/reports/access', ReportsAccess)).dashboards;
}
