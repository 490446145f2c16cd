import type { ssoZhCN } from './i18n.zh-CN';

/** Single sign-on on the sign-in page, in English; the shape is the Chinese one's. */
export const ssoEn: typeof ssoZhCN = {
  or: 'or',
  signIn: 'Sign in with the unified identity platform',
  hint: 'Use your government unified identity account. If you have no Yitang account yet, please contact the CPPCC office.',
};
