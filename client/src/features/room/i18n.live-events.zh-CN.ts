/** The live-event sheet on a phone (LiveEventBanner), in Simplified Chinese. */
export const liveEventsZhCN = {
  floor: {
    title: '轮到您发言',
    body: '召集人已请您发言，计时已经开始。',
    start: '开始发言',
    yield: '放弃发言',
  },
  poll: { title: '投票已开始', go: '去投票' },
  agenda: { title: '议程已转到下一项' },
  closed: { title: '议事活动已结束', body: '感谢您的参与，纪要审定后会通知您。' },
  dismiss: '关闭提示',
};
