/** The poster part of the catalogue, in zh-CN: exactly the keys of ../en/poster.ts (checked when it compiles). */
import type { messages as en } from '../en/poster.js';

export const messages = {
  'poster.formRoom': '议事室：{room}',
  'poster.scan': '扫码议事',
  'poster.scanHint': '用手机扫描二维码，说说您身边需要商量的事。',
  'poster.raise': '可以在这里商量的事',
  'poster.urlLabel': '无法扫码？请在浏览器中输入：',
  'poster.place': '议事地点',
  'poster.conveners': '召集人',
  'poster.qrLabel': '打开“{room}”议事表单的二维码',
  'poster.actions': '海报操作',
  'poster.print': '打印',
  'poster.download': '下载 SVG',
  'poster.downloaded': '已保存 {file}。',
  'poster.downloadFailed': '无法生成 SVG 文件：{message}',
  'poster.svgTitle': '{room}：扫码议事',
  'poster.loading': '正在加载议事室…',
  'poster.noRoom': '没有指定议事室：请把海报的 room 属性设为议事室的编号。',
  'poster.notFound': '本项目没有议事室“{room}”。',
  'poster.error.offline': '本设备已离线，无法加载议事室。请恢复网络后重试。',
  'poster.error.unavailable': '无法从城市服务器加载议事室（{detail}）。',
  'poster.retry': '重试',
  'poster.refused.title': '未生成二维码',
  'poster.refused.scheme': '议事室的地址既不是 https，也不是门户网站内的相对地址，因此不放进二维码：',
  'poster.refused.origin': '无法补全相对地址：门户网站的地址（{origin}）不是 https。',
  'poster.refused.fix': '请项目管理员在配置中改正议事室的征集地址。',
} satisfies Record<keyof typeof en, string>;
