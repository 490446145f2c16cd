import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../lib/router';
import { matchSocialReportPage, socialReportPath } from './SocialReportsPages';

describe('social-report pages', () => {
  it('route /social-reports and below to the feature', () => {
    expect(matchRoute('/social-reports?scope=queue')).toEqual({
      name: 'socialReports',
      path: '/social-reports',
      search: 'scope=queue',
    });
    expect(matchRoute('/social-reports/sr-1')).toMatchObject({ name: 'socialReports', path: '/social-reports/sr-1' });
  });

  it('read the list scope, the new form and one report; anything else is no page', () => {
    expect(matchSocialReportPage('/social-reports', '')).toEqual({ page: 'list', scope: 'mine' });
    expect(matchSocialReportPage('/social-reports/', 'scope=queue')).toEqual({ page: 'list', scope: 'queue' });
    expect(matchSocialReportPage('/social-reports', 'scope=everyone')).toEqual({ page: 'list', scope: 'mine' });
    expect(matchSocialReportPage('/social-reports/new', '')).toEqual({ page: 'new' });
    expect(matchSocialReportPage(socialReportPath('sr-a b'), '')).toEqual({ page: 'item', id: 'sr-a b' });
    expect(matchSocialReportPage('/social-reports/%E0%A4%A', '')).toEqual({ page: 'none' });
    expect(matchSocialReportPage('/social-reports/a/b', '')).toEqual({ page: 'none' });
  });
});
