/** The host page's own words, in both languages the elements speak. */
import type { UserRole, WorkflowView } from '@consult-kit/embed';

export type Lang = 'zh-CN' | 'en';

export interface HostMessages {
  pageTitle: string;
  intro: string;
  /** The language button's words: the OTHER language's name, in that language. */
  otherLanguage: string;
  switchLanguage: string;
  role: string;
  roles: Record<UserRole, string>;
  heardTitle: string;
  currentView: string;
  views: Record<WorkflowView, string>;
  defaultView: string;
  lastSubmitted: string;
  submitted: (title: string, savedOn: 'indexeddb' | 'memory') => string;
  lastAction: string;
  action: (type: string, topicId: string) => string;
  lastError: string;
  none: string;
  ratingTitle: string;
  ratingIntro: string;
  ratingLegend: string;
  starsChosen: (stars: number) => string;
  send: string;
  formSent: (value: string) => string;
}

export const MESSAGES: Record<Lang, HostMessages> = {
  'zh-CN': {
    pageTitle: '城市门户 · 有事好商量',
    intro: '这是一个示例门户页面：下面的协商议事组件由 consult-kit 提供，门户只设置它的属性、监听它的事件。',
    otherLanguage: 'English',
    switchLanguage: '切换为英文',
    role: '当前身份',
    roles: { resident: '居民', convener: '召集人', department: '职能部门', admin: '管理员' },
    heardTitle: '门户收到的事件',
    currentView: '当前视图',
    views: { 'my-topics': '我的议题', intake: '提出议题', timeline: '议题列表', outcomes: '成果办理', board: '协商成果公开', figures: '统计数据' },
    defaultView: '该身份的默认视图',
    lastSubmitted: '最近提交的议题',
    submitted: (title, savedOn) => `${title}（${savedOn === 'indexeddb' ? '已保存在本设备' : '仅保存在内存中'}）`,
    lastAction: '最近的办理操作',
    action: (type, topicId) => `${type}（议题 ${topicId}）`,
    lastError: '最近的错误',
    none: '暂无',
    ratingTitle: '您对本门户满意吗？',
    ratingIntro: '独立使用的星级评价：它是表单控件，值会随表单一起提交。',
    ratingLegend: '请为本门户打分',
    starsChosen: (stars) => (stars > 0 ? `您选择了 ${stars} 星` : '尚未选择'),
    send: '提交评价',
    formSent: (value) => `表单提交的数据：satisfaction=${value}`,
  },
  en: {
    pageTitle: 'City portal · Let’s talk it over',
    intro: 'An example portal page: the consultation widget below comes from consult-kit; the portal only sets its properties and listens to its events.',
    otherLanguage: '中文',
    switchLanguage: 'Switch to Chinese',
    role: 'Signed in as',
    roles: { resident: 'Resident', convener: 'Convener', department: 'Department', admin: 'Administrator' },
    heardTitle: 'What the portal heard',
    currentView: 'Current view',
    views: { 'my-topics': 'My topics', intake: 'Raise a topic', timeline: 'Topics', outcomes: 'Outcomes', board: 'Outcomes board', figures: 'Figures' },
    defaultView: 'the default view for this role',
    lastSubmitted: 'Last topic submitted',
    submitted: (title, savedOn) => `${title} (${savedOn === 'indexeddb' ? 'saved on this device' : 'kept in memory only'})`,
    lastAction: 'Last action',
    action: (type, topicId) => `${type} (topic ${topicId})`,
    lastError: 'Last error',
    none: 'None yet',
    ratingTitle: 'Are you satisfied with this portal?',
    ratingIntro: 'A standalone star rating: it is a form control, and its value is sent with the form.',
    ratingLegend: 'Rate this portal',
    starsChosen: (stars) => (stars > 0 ? `You chose ${stars} star${stars === 1 ? '' : 's'}` : 'Nothing chosen yet'),
    send: 'Send rating',
    formSent: (value) => `The form sent: satisfaction=${value}`,
  },
};

export const ROLES: readonly UserRole[] = ['resident', 'convener', 'department', 'admin'];
