import {
  type DeliveryListResponse as DeliveryList,
  DeliveryListResponse,
  type DeliveryQuery,
  DeliveryView,
  type NotifyPreferencesBody,
  NotifyPreferencesView,
} from '@yitang/shared';
import { api, field } from '../../lib/http';

const base = '/api/notify';

export function fetchPreferences(): Promise<NotifyPreferencesView> {
  return api(`${base}/preferences`, NotifyPreferencesView);
}

export function savePreferences(body: NotifyPreferencesBody): Promise<NotifyPreferencesView> {
  return api(`${base}/preferences`, NotifyPreferencesView, { method: 'POST', body });
}

/** A month of the delivery log (staff), filtered; empty filters are left out of the query. */
export function fetchDeliveries(query: DeliveryQuery): Promise<DeliveryList> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return api(`${base}/deliveries${qs ? `?${qs}` : ''}`, DeliveryListResponse);
}

export function resendDelivery(id: string): Promise<DeliveryView> {
  return api(`${base}/deliveries/${encodeURIComponent(id)}/resend`, field('delivery', DeliveryView), {
    method: 'POST',
  });
}
