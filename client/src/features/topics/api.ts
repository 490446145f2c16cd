import {
  type AcceptTopicBody,
  DepartmentView,
  MemberMatchesResponse,
  MembersResponse,
  NotificationsResponse,
  ProposeTopicResponse,
  RoomsResponse,
  type ScheduleTopicBody,
  SimilarTopicsResponse,
  TopicListResponse,
  type TopicProposal,
  TopicResponse,
  type TopicState,
  TopicTrail,
} from '@yitang/shared';
import { api, field } from '../../lib/http';

const topicUrl = (id: string) => `/api/topics/${encodeURIComponent(id)}`;

export const fetchTopics = (state?: TopicState) =>
  api(state ? `/api/topics?state=${state}` : '/api/topics', TopicListResponse).then((r) => r.topics);

export const fetchSimilar = (title: string) =>
  api(`/api/topics/similar?title=${encodeURIComponent(title)}`, SimilarTopicsResponse).then((r) => r.similar);

export const proposeTopic = (body: TopicProposal) => api('/api/topics', ProposeTopicResponse, { method: 'POST', body });

export const fetchTrail = (id: string) => api(`${topicUrl(id)}/trail`, TopicTrail);

export const acceptTopic = (id: string, body: AcceptTopicBody) =>
  api(`${topicUrl(id)}/accept`, TopicResponse, { method: 'POST', body });

export const declineTopic = (id: string, reason: string) =>
  api(`${topicUrl(id)}/decline`, TopicResponse, { method: 'POST', body: { reason } });

export const scheduleTopic = (id: string, body: ScheduleTopicBody) =>
  api(`${topicUrl(id)}/schedule`, TopicResponse, { method: 'POST', body });

export const fetchMatches = (id: string) =>
  api(`${topicUrl(id)}/matches`, MemberMatchesResponse).then((r) => r.matches);

export const fetchRooms = () => api('/api/rooms', RoomsResponse).then((r) => r.rooms);

/** The departments as records, each with its head and officials (for the acceptance pickers). */
export const fetchDepartments = () => api('/api/org/departments', field('departments', DepartmentView.array()));

export const fetchPeople = () => api('/api/members', MembersResponse).then((r) => r.members);

export const fetchNotifications = () => api('/api/notifications', NotificationsResponse);

export const markNotificationRead = (id: string) =>
  api(`/api/notifications/${encodeURIComponent(id)}/read`, NotificationsResponse, { method: 'POST' });

export const markAllNotificationsRead = () =>
  api('/api/notifications/read-all', NotificationsResponse, { method: 'POST' });
