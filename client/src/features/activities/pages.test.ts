import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../lib/router';
import { activityPath, matchActivityPage } from './ActivitiesPages';

describe('activity pages', () => {
  it('route /activities and below to the feature', () => {
    expect(matchRoute('/activities')).toEqual({ name: 'activities', path: '/activities', search: '' });
    expect(matchRoute('/activities/act-1/sign-in?code=012345')).toMatchObject({
      name: 'activities',
      path: '/activities/act-1/sign-in',
      search: 'code=012345',
    });
  });

  it('read the list, the new form, one activity and the sign-in link; anything else is no page', () => {
    expect(matchActivityPage('/activities/', '')).toEqual({ page: 'list' });
    expect(matchActivityPage('/activities/new', '')).toEqual({ page: 'new' });
    expect(matchActivityPage(activityPath('act-a b'), '')).toEqual({ page: 'item', id: 'act-a b' });
    expect(matchActivityPage('/activities/act-1/sign-in', 'code=012345')).toEqual({
      page: 'signIn',
      id: 'act-1',
      code: '012345',
    });
    expect(matchActivityPage('/activities/%E0%A4%A', '')).toEqual({ page: 'none' });
    expect(matchActivityPage('/activities/a/b', '')).toEqual({ page: 'none' });
  });
});
