/** Words of the controls the lifecycle, settings, permissions and translations panes share. */
import { defineMessages } from '../i18n.js';

export const kitMessages = defineMessages({
  'zh-CN': {
    zh: '中文',
    en: '英文',
    optional: '（可选）',
    problem: '问题：',
    defaultValue: '留空则用默认值 {value} {unit}。',
    editInJson: '这一项只能在 JSON 中编辑。',
    moveUp: '上移',
    moveDown: '下移',
    remove: '删除',
    isDefault: '默认',
  },
  en: {
    zh: 'Chinese',
    en: 'English',
    optional: '(optional)',
    problem: 'Problem:',
    defaultValue: 'Leave empty for the default, {value} {unit}.',
    editInJson: 'This part can only be edited in JSON.',
    moveUp: 'Move up',
    moveDown: 'Move down',
    remove: 'Delete',
    isDefault: 'default',
  },
});

export type KitMessageKey = keyof (typeof kitMessages)['en'];
