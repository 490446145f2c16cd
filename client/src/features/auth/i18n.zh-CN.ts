/** Single sign-on on the sign-in page (统一身份认证). */
export const ssoZhCN = {
  or: '或',
  signIn: '使用统一身份认证登录',
  hint: '使用政务统一身份认证平台的账户登录；尚未开通议堂账户的，请联系市政协办公室。',
  link: {
    toggle: '统一身份认证',
    toggleFor: '统一身份认证：{{name}}',
    subject: '统一身份认证平台的用户标识（sub）',
    subjectHint: '在统一身份认证平台查到此人的用户标识后填入；一个标识只能关联一个账号。',
    current: '已关联：{{subject}}',
    none: '尚未关联。',
    save: '保存关联',
    unlink: '取消关联',
    linked: '已关联统一身份认证账户。',
    unlinked: '已取消关联。',
    taken: '此标识已关联到其他账号。',
    empty: '请填写用户标识。',
  },
};
