/** The roles part of the catalogue, in zh-CN: exactly the keys of ../en/roles.ts (checked when it compiles). */
import type { messages as en } from '../en/roles.js';

export const messages = {
  'staff.role.resident': '居民',
  'staff.role.representative': '群众代表',
  'staff.role.member': '政协委员',
  'staff.role.convener': '召集人',
  'staff.role.department': '部门',
  'staff.role.stakeholder': '利益相关方',
  'staff.role.expert': '专家',
  'staff.role.notable': '乡贤',
  'staff.role.grid': '网格员',
  'staff.role.government': '党政',
  'staff.role.admin': '管理员',

  'staff.level.village': '村',
  'staff.level.community': '社区',
  'staff.level.town': '镇',
  'staff.level.street': '街道',
  'staff.level.park': '园区',
  'staff.level.district': '区',
  'staff.level.county': '县',
  'staff.level.city': '市',
  'staff.level.sector': '界别',
} satisfies Record<keyof typeof en, string>;
