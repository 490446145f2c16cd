/**
 * A hand-labelled set of consultation suggestions, written for this test (not taken from any real
 * consultation): 16 requests, each said four or five ways, the way residents and members phrase
 * them. Some name a second subject on purpose (a bus stop too far for old people, a school gate
 * where parents park, a flooded garage), so that grouping by words alone is tempted to go wrong.
 * `group` is the hand label; the order is the order they "arrive" in the test (interleaved).
 */
export interface LabelledSuggestion {
  group: string;
  text: string;
}

const byGroup: Record<string, readonly string[]> = {
  parking: [
    '老旧小区车位太少，晚上回家根本找不到地方停车。',
    '建议在老小区周边挖潜增加停车泊位，缓解居民停车难。',
    '我们院子里私家车越来越多，乱停乱放把通道都堵住了。',
    '能否把小区旁边的闲置空地改成临时停车场？',
    '下班回来车没处放，只能停在马路边，天天被贴罚单。',
  ],
  bus: [
    '公交车班次太少，早高峰等二十分钟都来不了一辆。',
    '希望延长末班车时间，晚上九点以后就没有车回镇上了。',
    '开发区到城区的线路发车间隔太长，上班族通勤很不方便。',
    '建议加密8路车的班次，高峰期车厢挤得上不去。',
    '站台离小区太远，老人坐巴士要走一公里。',
  ],
  schoolGate: [
    '学校门口放学时接孩子的车把路堵死了。',
    '实验小学上下学高峰交通拥堵，建议错峰放学并派交警疏导。',
    '每天早上送孩子上学，校门口那段路堵得水泄不通。',
    '希望在中学门前设置临时停靠点，家长接送时别乱停。',
  ],
  elderlyMeals: [
    '社区能不能办个老年食堂，解决独居老人吃饭难？',
    '建议推广长者助餐点，给高龄老人送餐上门。',
    '村里留守老人多，中午没人做饭，希望有个爱心餐桌。',
    '希望给七十岁以上的老人提供便宜又热乎的午饭。',
  ],
  insurance: [
    '在外地看病回来报销手续太复杂，跑了好几趟。',
    '建议简化异地就医医保结算，实现直接刷卡。',
    '医保报销比例太低，大病家庭负担重。',
    '父母在省外住院，费用垫付后能不能线上办理报销？',
  ],
  noise: [
    '小区广场舞音响开得太大声，晚上吵得孩子没法写作业。',
    '工地夜里还在施工，噪音扰民严重。',
    '楼下跳舞的喇叭声每天响到十点，希望规定时间和音量。',
    '希望管一管夜间的噪声，老年人睡不好觉。',
  ],
  garbage: [
    '垃圾桶满了好几天没人清运，夏天臭气熏天。',
    '建议增加分类垃圾箱，并定时收运。',
    '村口堆满了生活垃圾，苍蝇蚊子很多。',
    '厨余和其他垃圾混在一起倒，分类成了摆设。',
  ],
  property: [
    '物业费年年涨，服务却越来越差。',
    '物业公司不公开公共收益，业主不知道钱花在哪里。',
    '小区保安形同虚设，外来人员随便进出，希望加强管理。',
    '希望推动成立业委会，监督物业服务。',
  ],
  ruralRoad: [
    '进村的路坑坑洼洼，下雨天根本没法走。',
    '建议把三组到五组的土路硬化，方便农产品运出去。',
    '村道太窄，两车会车都困难，希望拓宽。',
    '通村公路年久失修，路面破损严重。',
  ],
  charging: [
    '小区没有电动车充电桩，大家只能从楼上拉电线下来充。',
    '电瓶车在楼道里充电太危险，建议建集中充电棚。',
    '希望增设电动自行车智能充电设施，防止飞线充电引发火灾。',
    '充电的地方太少，晚上大家排队抢插座。',
  ],
  lights: [
    '我家门口那条路的路灯坏了一个多月，晚上黑漆漆的。',
    '河边步道没有照明，晚上散步不安全。',
    '建议给背街小巷装上路灯。',
    '桥上的灯好久不亮了，夜里骑车看不清。',
  ],
  fraud: [
    '最近冒充公检法的电话诈骗很多，建议多进社区宣传。',
    '很多老人被保健品推销骗了钱，希望加强防骗教育。',
    '建议在村里广播反诈知识，提醒大家别点陌生链接。',
    '网上刷单骗局层出不穷，年轻人也要提高警惕。',
  ],
  customs: [
    '农村彩礼越要越高，娶个媳妇要掏空全家。',
    '建议把红白喜事简办写进村规民约。',
    '办酒席互相攀比，人情往来负担太重。',
    '希望村里成立红白理事会，刹住大操大办的风气。',
  ],
  dogs: [
    '小区里遛狗不拴绳，吓到了小孩。',
    '草坪上到处是狗粪，养犬人不清理。',
    '建议对大型犬登记管理，出门必须牵绳。',
    '流浪狗越来越多，晚上有人被咬。',
  ],
  elevator: [
    '老旧小区没有电梯，住六楼的老人下楼太难。',
    '建议政府补贴多层住宅加装电梯。',
    '加装电梯低层住户不同意，希望社区出面协调。',
    '我们楼都是八十年代的房子，爬楼梯对腿脚不好的人是折磨，盼望装个升降梯。',
  ],
  drainage: [
    '一下大雨路口就积水，车子都熄火了。',
    '建议疏通老街的下水道，雨季经常内涝。',
    '小区地下车库每年都被淹，排水设施不行。',
    '雨水管网太细，暴雨时污水倒灌进一楼住户家。',
  ],
};

/**
 * Written after the lexicon was settled and never used to change it: the lexicon and the lists
 * above were written by the same hand, so the score on those alone flatters it. These say the
 * same requests in words the lexicon was not written for.
 */
export const writtenAfterLexicon: readonly LabelledSuggestion[] = [
  { group: 'parking', text: '周末去菜市场买菜，车子转三圈都找不到位置。' },
  { group: 'parking', text: '医院门口的停车场太小，看病的车排队排到马路上。' },
  { group: 'bus', text: '乡下到县城的班车一天只有两趟，能不能多开几趟？' },
  { group: 'bus', text: '公交站没有遮雨棚，下雨天等车全身湿透。' },
  { group: 'schoolGate', text: '孩子上学要穿过没有红绿灯的大路，家长很担心安全。' },
  { group: 'elderlyMeals', text: '老人一个人在家吃不上热饭，社区食堂能不能开到村里？' },
  { group: 'insurance', text: '慢性病的药每个月都要自己掏钱，希望纳入医保门诊报销。' },
  { group: 'noise', text: '隔壁饭店的排风机半夜嗡嗡响，吵得人睡不着。' },
  { group: 'garbage', text: '小区垃圾房门口污水横流，希望每天冲洗消毒。' },
  { group: 'property', text: '电梯坏了物业拖着不修，业主投诉也没用。' },
  { group: 'ruralRoad', text: '我们组到镇上的路一下雨全是泥，孩子上学鞋子都湿透。' },
  { group: 'charging', text: '车棚里的充电口经常坏，电动车充不上电。' },
  { group: 'lights', text: '新修的小区路段晚上一盏灯都没有，老人出门摔过跤。' },
  { group: 'fraud', text: '我妈接到自称银行客服的电话，差点把存款转走，建议银行多提醒。' },
  { group: 'customs', text: '结婚随礼从两百涨到一千，大家都吃不消。' },
  { group: 'dogs', text: '邻居家的狗整夜叫，影响休息。' },
  { group: 'elevator', text: '三楼以上的老住户盼着装电梯，能否简化审批？' },
  { group: 'drainage', text: '每逢下雨小区门口就成了小河，出门要蹚水。' },
];

/**
 * The whole set in arrival order: the first of each request, then the second of each, and so
 * on; then those written after the lexicon.
 */
export const labelledSuggestions: readonly LabelledSuggestion[] = (() => {
  const out: LabelledSuggestion[] = [];
  const lists = Object.entries(byGroup);
  const longest = Math.max(...lists.map(([, l]) => l.length));
  for (let i = 0; i < longest; i++) {
    for (const [group, list] of lists) {
      const text = list[i];
      if (text !== undefined) out.push({ group, text });
    }
  }
  out.push(...writtenAfterLexicon);
  return out;
})();
