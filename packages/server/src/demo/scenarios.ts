/**
 * What the demo's topics are about: local matters that fit the place (lifts in old blocks,
 * parking, refuse sorting, village roads, elderly canteens…), in zh-CN as residents and staff
 * would write them. `{p}` is filled with a place (a block, an estate, a villagers' group).
 */

/** One kind of matter, and what a room does about it. */
export interface Scenario {
  /** `urban` (communities, streets, districts) or `village` (villages, towns). */
  setting: 'urban' | 'village' | 'any';
  /** The category values it fits, in the order tried against the form's category options. */
  categories: string[];
  title: string;
  description: string;
  findings: string;
  /** Measures: text and the ids of the parties that would take it, in order of preference. */
  measures: Array<{ text: string; parties: string[] }>;
  effect: string;
  feedback: string;
}

const URBAN_PLACES = ['3号楼', '7号楼', '12号楼', '新村南区', '老街片区', '河滨花园', '工人新村', '清扬苑', '东风小区', '2号楼'];
const VILLAGE_PLACES = ['一组', '二组', '三组', '五组', '柏树湾', '大院子', '河坝头', '老林盘'];

export function placesFor(setting: 'urban' | 'village'): readonly string[] {
  return setting === 'urban' ? URBAN_PLACES : VILLAGE_PLACES;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    setting: 'urban',
    categories: ['lift', 'housing'],
    title: '{p}加装电梯',
    description: '{p}是上世纪九十年代建成的六层老楼，没有电梯，楼里住着二十多位七十岁以上的老人，上下楼很吃力。多数住户愿意出资加装电梯，但一楼、二楼住户担心采光、噪音和费用分摊，希望坐下来商量出大家都能接受的方案。',
    findings: '走访了全楼36户，其中29户同意加装电梯，一楼4户有顾虑，主要是采光和管线改迁；测量了楼道外侧空间，具备加装条件。',
    measures: [
      { text: '委托设计单位出具两套加装方案，张贴公示征求意见', parties: ['housing-bureau', 'residents-committee', 'street-office'] },
      { text: '按楼层制定费用分摊办法，对一楼住户给予适当补偿', parties: ['residents-committee', 'street-office', 'village-committee'] },
      { text: '协调管线单位完成燃气、给水管线迁改', parties: ['gas-company', 'housing-bureau', 'street-office'] },
    ],
    effect: '全楼住户签字同意加装方案，费用分摊办法公示无异议。',
    feedback: '电梯已完成安装并通过特种设备检验，正式投入使用，一楼住户的补偿已按约定支付，欢迎居民继续监督。',
  },
  {
    setting: 'urban',
    categories: ['parking', 'roads'],
    title: '{p}停车难、车辆乱停',
    description: '{p}建成时没有规划停车位，现在小区里私家车越来越多，晚上车辆占用消防通道和绿地，救护车曾经进不来。居民希望重新规划车位，并和周边单位协商错时共享停车。',
    findings: '夜间清点小区车辆约210辆，现有划线车位仅96个；周边两家单位夜间有闲置车位约80个，对方表示可以协商错时共享。',
    measures: [
      { text: '重新施划停车位并标出消防通道，拆除废弃车棚增加车位', parties: ['property-company', 'residents-committee', 'street-office', 'transport-bureau'] },
      { text: '与周边单位签订错时共享停车协议', parties: ['street-office', 'residents-committee'] },
    ],
    effect: '居民同意车位规划方案，周边单位同意夜间开放车位。',
    feedback: '小区新增车位46个，消防通道已标线并设置警示桩，与两家单位签订了错时停车协议，晚上乱停车的情况明显减少。',
  },
  {
    setting: 'urban',
    categories: ['waste', 'other'],
    title: '{p}垃圾分类投放点设置',
    description: '{p}原来的垃圾桶放在楼道口，夏天气味大、招蚊蝇，推行垃圾分类后投放点位置一直定不下来，靠近哪栋楼哪栋楼就反对，希望通过协商确定投放点和定时投放的时间。',
    findings: '现场查看了四处备选位置，征求了周边住户意见；垃圾清运车每天早上七点和晚上七点各来一次。',
    measures: [
      { text: '在小区西侧空地建设带洗手池的分类投放亭', parties: ['residents-committee', 'property-company', 'street-office', 'village-committee'] },
      { text: '招募志愿者在投放高峰时段值守引导', parties: ['residents-committee', 'village-committee', 'street-office'] },
    ],
    effect: '确定了投放亭位置和早晚两次定时投放，志愿者轮值表排好。',
    feedback: '分类投放亭已建成启用，志愿者每天早晚值守，楼道口的垃圾桶全部撤除，周边环境干净了很多。',
  },
  {
    setting: 'urban',
    categories: ['eldercare', 'other'],
    title: '{p}老年助餐点（长者食堂）',
    description: '社区独居和高龄老人多，子女不在身边，很多老人午饭随便对付。大家希望在社区开一个长者食堂，价格实惠、离家近，行动不便的老人能送餐上门。',
    findings: '摸排了辖区80岁以上老人142人，其中独居38人；社区服务中心一楼有闲置用房约120平方米，可改造为助餐点。',
    measures: [
      { text: '改造社区服务中心一楼闲置用房作为助餐点', parties: ['civil-affairs', 'residents-committee', 'street-office'] },
      { text: '引入专业餐饮企业运营，落实老年人用餐补贴', parties: ['civil-affairs', 'street-office'] },
      { text: '组织志愿者为行动不便的老人送餐上门', parties: ['residents-committee', 'village-committee'] },
    ],
    effect: '确定了助餐点选址、运营方式和补贴标准。',
    feedback: '长者食堂已经开业，每天供应午餐，老人用餐享受补贴，已为21位行动不便的老人送餐上门。',
  },
  {
    setting: 'urban',
    categories: ['renovation', 'water', 'housing'],
    title: '{p}雨天积水、雨污管网老化',
    description: '{p}地势低，每到梅雨季和暴雨天，楼前道路积水没过脚踝，一楼住户家里返水。管网是几十年前铺的，雨水污水混在一起，希望纳入老旧小区改造一并解决。',
    findings: '查看了管网图纸并请专业单位做了管道检测，发现主管道有三处塌陷、多处堵塞，雨污合流。',
    measures: [
      { text: '将雨污分流改造纳入本年度老旧小区改造计划', parties: ['housing-bureau', 'street-office'] },
      { text: '汛期前完成主管道清淤疏通，低洼处增设雨水口', parties: ['street-office', 'property-company', 'housing-bureau'] },
    ],
    effect: '改造纳入计划，施工期间的交通和出行安排征得居民同意。',
    feedback: '雨污分流改造已完工，今年汛期几场暴雨后楼前没有再积水，一楼住户家中也没有返水。',
  },
  {
    setting: 'urban',
    categories: ['gas', 'renovation', 'housing'],
    title: '{p}老旧小区管道燃气入户',
    description: '{p}至今还在用瓶装液化气，老人换气搬气很不方便，也有安全隐患。居民多次反映想通管道燃气，但涉及管线走向、入户费用和施工扰民，需要燃气公司和住户一起商量。',
    findings: '入户调查了全部住户，愿意开通管道燃气的占82%；燃气公司现场踏勘认为可以从小区北侧接入主管网。',
    measures: [
      { text: '燃气公司制定管线施工方案并公示', parties: ['gas-company', 'housing-bureau'] },
      { text: '对低保户、特困户的入户费用给予减免', parties: ['street-office', 'civil-affairs', 'gas-company'] },
    ],
    effect: '住户同意施工方案和费用标准，燃气公司承诺分批施工。',
    feedback: '管道燃气已通气，开通户数超过八成，燃气公司上门进行了安全用气宣传。',
  },
  {
    setting: 'urban',
    categories: ['dispute', 'other'],
    title: '{p}楼上漏水引发邻里矛盾',
    description: '楼上卫生间防水层老化，楼下天花板长期渗水发霉，两家为维修费用争执多次。',
    findings: '属于两户之间的民事纠纷。',
    measures: [{ text: '由社区人民调解委员会组织两户调解', parties: ['residents-committee'] }],
    effect: '转人民调解。',
    feedback: '已转人民调解，双方达成维修协议。',
  },
  {
    setting: 'village',
    categories: ['roads', 'other'],
    title: '{p}进组路硬化',
    description: '{p}进组的土路有一公里多，一下雨就泥泞不堪，摩托车、三轮车经常陷住，娃娃上学、老人看病都不方便，农产品也运不出去。大家愿意投工投劳，希望商量怎么把路修起来。',
    findings: '实地测量道路长1.2公里，宽3.5米；全组52户中有47户愿意投工投劳，涉及占地的6户同意无偿让地。',
    measures: [
      { text: '申报村道硬化项目，争取镇上补助资金', parties: ['town-government', 'village-committee', 'street-office', 'transport-bureau'] },
      { text: '组织村民投工投劳，成立质量监督小组', parties: ['villager-group', 'village-committee'] },
    ],
    effect: '确定了修路方案、出资出劳办法和监督小组成员。',
    feedback: '进组路已硬化完工，宽3.5米，村民监督小组全程参与验收，雨天出行不再难。',
  },
  {
    setting: 'village',
    categories: ['water', 'other'],
    title: '{p}灌溉水渠清淤',
    description: '{p}的老水渠多年没有清理，淤泥堵塞，去年春灌时下游几户的田放不进水，还为争水闹过矛盾。希望在春耕前把水渠清出来，定好放水的规矩。',
    findings: '沿渠查看了全长约800米的渠道，有三段淤塞严重、一处渠堤垮塌；下游涉及农田约90亩。',
    measures: [
      { text: '春耕前组织村民清淤并修复垮塌渠堤', parties: ['villager-group', 'village-committee', 'agri-service-centre'] },
      { text: '商定轮灌放水顺序，写入村规民约', parties: ['village-committee', 'villager-group'] },
    ],
    effect: '清淤时间和轮灌顺序定下来了，写进村规民约。',
    feedback: '水渠已清淤完毕，渠堤修好了，今年春灌按轮灌顺序放水，没有再发生争水的事。',
  },
  {
    setting: 'village',
    categories: ['other', 'roads'],
    title: '{p}村道安装路灯',
    description: '{p}到村委会的路晚上一片漆黑，老人晚上出门怕摔跤，去年冬天还有人骑车摔进沟里。大家希望装上太阳能路灯。',
    findings: '需要安装路灯的路段约1.5公里，按30米一盏约需50盏；供电所建议采用太阳能路灯，不用架线。',
    measures: [
      { text: '安装太阳能路灯50盏', parties: ['power-supply', 'town-government', 'village-committee', 'street-office'] },
      { text: '明确路灯日常维护由村民小组负责', parties: ['villager-group', 'village-committee'] },
    ],
    effect: '确定了安装路段、灯具和维护办法。',
    feedback: '50盏太阳能路灯已全部安装并亮灯，村民小组安排了专人巡查维护。',
  },
  {
    setting: 'village',
    categories: ['eldercare', 'other'],
    title: '{p}留守老人互助食堂',
    description: '村里年轻人大多外出务工，留守老人多，自己做饭不方便。大家商量能不能利用闲置的村小学办一个互助食堂，老人交一点、村里补一点、乡贤捐一点。',
    findings: '摸排了60岁以上留守老人67人，其中有意愿到食堂就餐的41人；闲置村小学的厨房稍加改造即可使用。',
    measures: [
      { text: '改造闲置村小学厨房作为互助食堂', parties: ['village-committee', 'town-government', 'civil-affairs'] },
      { text: '制定老人、村集体、乡贤共同出资的办法', parties: ['village-committee', 'villager-group'] },
    ],
    effect: '食堂选址、出资办法和管理人员都商定了。',
    feedback: '互助食堂开张了，每天中午有三十多位老人就餐，饭菜价格实惠，乡贤捐助已公示。',
  },
  {
    setting: 'village',
    categories: ['other', 'waste'],
    title: '{p}生活垃圾收集点和人居环境整治',
    description: '{p}垃圾随意倒在河沟边，夏天臭气熏天，还污染了下游的水。希望设置垃圾收集点，定期清运，大家一起把院子周边收拾干净。',
    findings: '沿河查看发现乱倒垃圾点5处；镇上的清运车每周可以来两次，需要村里设置固定收集点。',
    measures: [
      { text: '设置3个垃圾收集点，镇上每周清运两次', parties: ['town-government', 'village-committee', 'street-office'] },
      { text: '开展院落卫生评比，评比结果张榜公布', parties: ['villager-group', 'village-committee', 'residents-committee'] },
    ],
    effect: '收集点位置和清运时间确定，院落评比办法通过。',
    feedback: '3个垃圾收集点已投入使用，河沟边的垃圾清理干净，院落卫生评比每月一次。',
  },
  {
    setting: 'any',
    categories: ['other'],
    title: '{p}公共活动场地修整',
    description: '{p}的公共活动场地坑坑洼洼，健身器材坏了好几件，晚上跳广场舞的居民和孩子们都没地方活动，希望修整场地、更换器材。',
    findings: '场地面积约600平方米，破损健身器材7件，周边住户都支持修整，对音响音量有意见。',
    measures: [
      { text: '修整场地地面并更换损坏的健身器材', parties: ['street-office', 'village-committee', 'residents-committee', 'town-government'] },
      { text: '商定广场舞活动时间和音量公约', parties: ['residents-committee', 'villager-group', 'village-committee'] },
    ],
    effect: '修整方案和活动公约经大家同意。',
    feedback: '活动场地已修整完毕，新器材安装到位，活动公约张贴在场地入口，晚上九点后不再放音乐。',
  },
];

/** Reasons a screening rejects a topic. */
export const REJECT_REASONS = [
  '属于个人诉求，不属于公共事务，不进入协商议事。',
  '该事项已列入政府年度实施计划，正在推进，无需另行协商。',
  '反映的情况经核实已经解决。',
];

/** Fictional people, obviously so: surnames for residents in the demo. */
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];

/** Comments residents leave with a rating (by stars, low to high). */
export const COMMENTS = {
  low: ['进度太慢，说好的事还没办完。', '效果不明显，希望再跟进。'],
  mid: ['基本解决了，还有些细节要完善。'],
  high: ['办得实在，大家都满意。', '感谢社区和各部门，问题解决了。', '说到做到，点赞！'],
};
