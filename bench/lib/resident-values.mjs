// The submission values the server benches send (bench/server.mjs, bench/scale.mjs).

/** A resident's answers to the Wuxi intake form (the contract's first example, docs/api/openapi.yaml). */
export const VALUES = {
  title: '3号楼加装电梯',
  description:
    '幸福里小区3号楼是1995年建成的6层老楼，没有电梯。楼里60岁以上老人有21位，上下楼非常困难。希望社区组织大家商量加装电梯，一并商量费用怎么分摊、一楼住户的采光和噪音问题。',
  category: 'lift',
  location: '清名桥社区幸福里小区3号楼',
  photos: [{ name: '3号楼楼道.jpg', type: 'image/jpeg', size: 1843200 }],
  households: 24,
  name: '王秀英',
  contactWanted: 'yes',
  phone: '13800138000',
  consent: true,
};
