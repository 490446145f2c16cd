/** Single sign-on on the sign-in page (统一身份认证). */
export const ssoZhCN = {
  or: '或',
  signIn: '使用统一身份认证登录',
  hint: '使用政务统一身份认证平台的账户登录；尚未开通议事堂账户的，请联系市政协办公室。',
};
