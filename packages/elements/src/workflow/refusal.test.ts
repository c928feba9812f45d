/** The reason a refused action shows, for each problem the contract answers (docs/api/openapi.yaml). */
import { expect } from '@esm-bundle/chai';
import type { Conflict } from '@consult-kit/store';
import { MESSAGES } from '../i18n/messages.js';
import { format } from '../i18n/locale.js';
import { refusalWords, type RefusalLabels } from './refusal.js';

const labels: RefusalLabels = {
  role: (r) => ({ convener: '召集人', department: '部门', admin: '管理员' })[r] ?? r,
  level: (l) => ({ community: '社区', street: '街道' })[l] ?? l,
  list: (items) => items.join('、'),
  programme: (id) => (id === 'wuxi' ? '有事好商量（无锡）' : id),
};
const at = '2026-05-01T00:00:00Z';
const zh = (c: Partial<Conflict>) => {
  const words = refusalWords({ status: 403, title: 'x', at, ...c }, labels);
  return format(MESSAGES['zh-CN'][words.key], words.params);
};

describe('refusalWords: the server’s refusal in the person’s words', () => {
  it('out of scope: the room, the level, the measure’s party, or the scope as given', () => {
    expect(zh({ type: '/problems/out-of-scope', missingScope: 'programme:wuxi' })).to.equal('该议事室（有事好商量（无锡））不在您的负责范围内。');
    expect(zh({ type: '/problems/out-of-scope', missingScope: 'level:street' })).to.equal('您无权办理“街道”层级的议题。');
    expect(zh({ type: '/problems/out-of-scope', missingScope: 'party:housing-bureau' })).to.equal('该项措施的责任单位是“housing-bureau”，不是您所在的部门。');
    expect(zh({ type: '/problems/out-of-scope', missingScope: 'room-7' })).to.equal('超出了您可办理的范围（room-7）。');
  });

  it('forbidden: a role not held, a role the config does not let do it, someone else’s sign-in', () => {
    expect(zh({ type: '/problems/forbidden', role: 'convener', detail: 'The token does not hold the role convener.' })).to.equal('您的登录身份没有“召集人”角色。');
    expect(zh({ type: '/problems/forbidden', role: 'department', allowed: ['convener', 'admin'] })).to.equal('部门不能办理此操作，可办理的角色：召集人、管理员。');
    expect(zh({ type: '/problems/forbidden', role: 'convener', detail: 'by.id "c-2" is not the token\'s subject.' })).to.equal('该操作记录时使用的是另一个人的登录，与当前登录不一致。');
  });

  it('forbidden: the server’s reason code decides, not its English words', () => {
    expect(zh({ type: '/problems/forbidden', role: 'convener', forbidden: 'not-the-subject', detail: 'Not yours.' })).to.equal('该操作记录时使用的是另一个人的登录，与当前登录不一致。');
    expect(zh({ type: '/problems/forbidden', role: 'convener', forbidden: 'role-not-held', detail: 'No such role.' })).to.equal('您的登录身份没有“召集人”角色。');
    expect(zh({ type: '/problems/forbidden', role: 'department', allowed: ['convener'], forbidden: 'role-not-permitted' })).to.equal('部门不能办理此操作，可办理的角色：召集人。');
  });

  it('the lifecycle’s rule code; a pull that made it impossible; signed out; follow codes; anything else with its status', () => {
    expect(zh({ status: 422, type: '/problems/event-refused', refusal: { code: 'not-in-state' } as Conflict['refusal'] })).to.equal('按办理流程，该议题现在不能进行此操作（规则：not-in-state）。');
    expect(zh({ status: 0, refusal: { code: 'already-rated' } as Conflict['refusal'] })).to.equal('其他人已推进了该议题，此操作已不再可行（规则：already-rated）。');
    expect(zh({ status: 401, type: '/problems/unauthenticated' })).to.equal('发送时您已退出登录。');
    expect(zh({ status: 403, type: '/problems/follow-code-revoked', reason: 'follow-code-revoked' })).to.equal('所用的跟进码已失效。');
    expect(zh({ status: 413, type: '/problems/payload-too-large' })).to.equal('服务器未接受此操作（413）。');
  });

  it('every message exists in English too', () => {
    for (const key of Object.keys(MESSAGES['zh-CN']).filter((k) => k.startsWith('workflow.refused.') || k.startsWith('workflow.signIn.') || k.startsWith('workflow.sync.'))) {
      expect(MESSAGES.en[key as keyof typeof MESSAGES.en], key).to.be.a('string').and.not.equal('');
    }
  });
});
