import { SessionsResponse, type SessionView } from '@yitang/shared';
import { api } from '../../lib/http';

export async function fetchSessions(): Promise<SessionView[]> {
  return (await api('/api/sessions', SessionsResponse)).sessions;
}
