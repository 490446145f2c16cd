/** The staff security page in Simplified Chinese; i18n.en.ts must match its shape. */
export const securityZhCN = {
  nav: '安全审计',
  title: '安全审计',
  intro:
    '登录、角色与成员变动、表决、签到、纪要审定和履职记录等操作都记入防篡改的审计日志（每条记录含上一条的哈希值）。',
  failures: {
    title: '近期登录失败',
    empty: '暂无登录失败记录。',
    at: '时间',
    username: '登录名',
    address: '来源地址',
    reason: '原因',
    badCredentials: '用户名或密码错误',
    rateLimited: '尝试过多，已暂时锁定',
  },
  audit: {
    title: '审计日志',
    filters: '筛选',
    action: '操作',
    actor: '操作人编号',
    target: '对象',
    apply: '筛选',
    clear: '清除',
    empty: '没有符合条件的记录。',
    seq: '序号',
    at: '时间',
    details: '详情',
    hash: '哈希',
    system: '系统',
    more: '加载更早的记录',
  },
};
