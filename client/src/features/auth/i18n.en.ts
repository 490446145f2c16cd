import type { ssoZhCN } from './i18n.zh-CN';

/** Single sign-on on the sign-in page, in English; the shape is the Chinese one's. */
export const ssoEn: typeof ssoZhCN = {
  or: 'or',
  signIn: 'Sign in with the unified identity platform',
  hint: 'Use your government unified identity account. If you have no Yitang account yet, please contact the CPPCC office.',
  link: {
    toggle: 'Unified identity',
    toggleFor: 'Unified identity: {{name}}',
    subject: 'User identifier (sub) at the identity platform',
    subjectHint:
      'Look the person up at the identity platform and enter their identifier; one identifier links to one account.',
    current: 'Linked: {{subject}}',
    none: 'Not linked yet.',
    save: 'Save link',
    unlink: 'Unlink',
    linked: 'Linked to the unified identity account.',
    unlinked: 'Unlinked.',
    taken: 'This identifier is linked to another account.',
    empty: 'Enter the user identifier.',
  },
};
