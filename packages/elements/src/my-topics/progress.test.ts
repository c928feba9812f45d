/**
 * The resident's stepper model (progress.ts) on every lifecycle state, built with the machine's
 * pure transitions from the example configs: which steps show, which one is current, and what
 * each step tells the resident (the reason of a rejection, the merge target, the channel, the
 * level escalated to, the meeting, the five haves, each measure, the feedback, the rating window).
 */
import { expect } from '@esm-bundle/chai';
import { parseWorkflowConfig, type WorkflowConfig } from '@consult-kit/machine';
import { NOW, Topic, wuxi } from '../../test/programme.js';
import { topicProgress, type TopicProgress } from './progress.js';

const RESIDENT = { role: 'resident', id: 'follow:0123456789abcdef' } as const;

const keys = (p: TopicProgress) => p.steps.map((s) => s.key);
const current = (p: TopicProgress) => p.steps.filter((s) => s.status === 'current').map((s) => s.key);
const done = (p: TopicProgress) => p.steps.filter((s) => s.status === 'done').map((s) => s.key);

async function variant(name: string, change: (raw: { steps: Array<{ type: string }> }) => void): Promise<WorkflowConfig> {
  const raw = await (await fetch(`/examples/configs/${name}.json`)).json();
  change(raw);
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const CONVENERS = [
  { name: '李书记', role: 'convener' as const },
  { name: '王委员', role: 'member' as const },
];

const MEASURES = [
  { text: '加装电梯', party: 'housing-bureau', due: '2026-04-01' },
  { text: '绿地改停车场', party: 'property-company', due: '2026-12-31' },
];

describe('topicProgress', () => {
  let config: WorkflowConfig;
  before(async () => {
    config = await wuxi();
  });

  it('a topic just received is being screened: every configured step shows, screening is current, it may be withdrawn', () => {
    const p = topicProgress(new Topic(config, 't1').submit('楼道灯问题反映').snapshot, NOW);
    expect(keys(p)).to.deep.equal(['received', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed']);
    expect(done(p)).to.deep.equal(['received']);
    expect(current(p)).to.deep.equal(['screening']);
    expect(p.steps[0]!.at).to.equal(p.submittedAt);
    expect(p.outcome).to.equal('open');
    expect(p.screening?.decision).to.equal('pending');
    expect(p.canWithdraw).to.equal(true);
    expect(p.canRate).to.equal(false);
    expect(p.title).to.equal('楼道灯问题反映');
  });

  it('a rejected topic ends at screening with the reason, and nothing after it is promised', () => {
    const p = topicProgress(new Topic(config, 't1').submit('噪音问题反映').send({ type: 'screening.reject', reason: '属于个人诉求，请通过人民调解解决' }).snapshot, NOW);
    expect(keys(p)).to.deep.equal(['received', 'screening']);
    expect(current(p)).to.deep.equal(['screening']);
    expect(p.outcome).to.equal('rejected');
    expect(p.screening).to.include({ decision: 'rejected', reason: '属于个人诉求，请通过人民调解解决' });
    expect(p.screening?.at).to.be.a('string');
    expect(p.canWithdraw).to.equal(false);
  });

  it('a merged topic says which topic it was merged into', () => {
    const p = topicProgress(new Topic(config, 't2').submit('电梯问题反映').send({ type: 'screening.merge', into: 't-lift' }).snapshot, NOW);
    expect(p.outcome).to.equal('merged');
    expect(p.screening).to.include({ decision: 'merged', into: 't-lift' });
    expect(keys(p)).to.deep.equal(['received', 'screening']);
  });

  it('a redirected topic says which channel it went to', () => {
    const p = topicProgress(new Topic(config, 't3').submit('欠薪问题反映').send({ type: 'screening.redirect', channel: 'petition', reason: '属于信访事项' }).snapshot, NOW);
    expect(p.outcome).to.equal('redirected');
    expect(p.screening).to.include({ decision: 'redirected', channel: 'petition', reason: '属于信访事项' });
  });

  it('an escalated topic is screened again at the higher level, and says so', () => {
    const p = topicProgress(new Topic(config, 't4').submit('道路问题反映').send({ type: 'screening.escalate', level: 'street', reason: '涉及多个社区' }).snapshot, NOW);
    expect(current(p)).to.deep.equal(['screening']);
    expect(p.screening?.decision).to.equal('pending');
    expect(p.screening?.escalations).to.have.length(1);
    expect(p.screening?.escalations[0]).to.include({ from: 'community', to: 'street', reason: '涉及多个社区' });
    expect(p.level).to.equal('street');
    expect(p.canWithdraw).to.equal(true);
  });

  it('a withdrawn topic ends at screening as withdrawn, with the resident\'s reason', () => {
    const p = topicProgress(new Topic(config, 't5').submit('路灯问题反映').send({ type: 'topic.withdraw', reason: '已经修好了' }, RESIDENT).snapshot, NOW);
    expect(p.outcome).to.equal('withdrawn');
    expect(p.screening).to.include({ decision: 'withdrawn', reason: '已经修好了' });
    expect(keys(p)).to.deep.equal(['received', 'screening']);
    expect(p.canWithdraw).to.equal(false);
  });

  it('an accepted topic moves to research; it can no longer be withdrawn', () => {
    const p = topicProgress(new Topic(config, 't6').submit('助餐问题反映').send({ type: 'screening.accept' }).snapshot, NOW);
    expect(done(p)).to.deep.equal(['received', 'screening']);
    expect(current(p)).to.deep.equal(['research']);
    expect(p.screening?.decision).to.equal('accepted');
    expect(p.canWithdraw).to.equal(false);
  });

  it('after research, the meeting is current, first being prepared and then scheduled with its format, date and place', () => {
    const t = new Topic(config, 't7').submit('停车问题反映').toMeeting();
    const planning = topicProgress(t.snapshot, NOW);
    expect(current(planning)).to.deep.equal(['meeting']);
    expect(planning.research?.findings).to.contain('走访');
    expect(planning.meetings).to.deep.equal([]);
    t.send({ type: 'meeting.schedule', format: 'courtyard', start: '2026-03-10T02:00:00.000Z', place: '3号楼下', conveners: CONVENERS, participants: [] });
    const scheduled = topicProgress(t.snapshot, NOW);
    expect(scheduled.meetings).to.deep.equal([{ round: 1, format: 'courtyard', start: '2026-03-10T02:00:00.000Z', place: '3号楼下', held: false }]);
    expect(scheduled.steps.find((s) => s.key === 'meeting')?.at).to.be.a('string');
  });

  it('in handling: the five haves and each measure with its party, due date, overdue, adoption or decline with the reason', () => {
    const t = new Topic(config, 't8').submit('电梯问题反映').toMeeting().meet(MEASURES).adopt('m1-1').decline('m1-2', '绿地是规划绿化用地');
    const p = topicProgress(t.snapshot, NOW);
    expect(current(p)).to.deep.equal(['handling']);
    expect(p.record).to.include({ round: 1, place: '社区议事室', effect: '达成共识', consensus: 'full' });
    expect(p.measures).to.have.length(2);
    expect(p.measures[0]).to.include({ text: '加装电梯', party: 'housing-bureau', due: '2026-04-01', status: 'adopted', overdue: true });
    expect(p.measures[1]).to.include({ status: 'declined', reason: '绿地是规划绿化用地', overdue: false });
    expect(p.meetings[0]).to.include({ held: true, consensus: 'full' });
  });

  it('once every measure is settled the feedback step is current; then implemented results show', () => {
    const t = new Topic(config, 't9').submit('电梯问题反映').toMeeting().meet(MEASURES).adopt('m1-1').implement('m1-1').decline('m1-2', '不符合规划');
    const p = topicProgress(t.snapshot, NOW);
    expect(current(p)).to.deep.equal(['feedback']);
    expect(p.measures[0]).to.include({ status: 'implemented', result: '已完成并通过验收', overdue: false });
    expect(p.measures[0]!.implementedAt).to.be.a('string');
  });

  it('after feedback the rating is open: how long it stays open, and this person may rate once', () => {
    const t = new Topic(config, 't10').submit('电梯问题反映').toMeeting().meet(MEASURES.slice(0, 1)).adopt('m1-1').implement('m1-1').feedback();
    const opened = t.snapshot.context.evaluations.at(-1)!.openedAt;
    const p = topicProgress(t.snapshot, opened, { actorId: RESIDENT.id });
    expect(current(p)).to.deep.equal(['evaluation']);
    expect(p.feedback?.text).to.contain('办理完毕');
    const windowDays = config.step.evaluation!.windowDays;
    expect(p.rating).to.include({ open: true, count: 0, average: null, scale: config.step.evaluation!.scale });
    expect(Date.parse(p.rating!.windowEnd!) - Date.parse(opened)).to.equal(windowDays * 86_400_000);
    expect(p.canRate).to.equal(true);

    t.send({ type: 'rating.submit', stars: 4 }, RESIDENT);
    const rated = topicProgress(t.snapshot, opened, { actorId: RESIDENT.id });
    expect(rated.rating).to.include({ mine: 4, count: 1, average: 4 });
    expect(rated.canRate).to.equal(false);
    // Somebody else's device has not rated.
    expect(topicProgress(t.snapshot, opened, { actorId: 'follow:ffffffffffffffff' }).canRate).to.equal(true);
  });

  it('after the window has passed nobody can rate, though the round is still open until staff close it', () => {
    const t = new Topic(config, 't11').submit('电梯问题反映').toMeeting().meet(MEASURES.slice(0, 1)).adopt('m1-1').implement('m1-1').feedback();
    const p = topicProgress(t.snapshot, '2027-01-01T00:00:00.000Z', { actorId: RESIDENT.id });
    expect(current(p)).to.deep.equal(['evaluation']);
    expect(p.rating?.open).to.equal(false);
    expect(p.canRate).to.equal(false);
  });

  it('a closed topic: every step done up to closed (current), with its average', () => {
    const t = new Topic(config, 't12').submit('电梯问题反映').toMeeting().meet(MEASURES.slice(0, 1)).adopt('m1-1').implement('m1-1').feedback().rate([5, 4, 4, 5, 3]);
    const p = topicProgress(t.snapshot, NOW);
    expect(p.outcome).to.equal('closed');
    expect(current(p)).to.deep.equal(['closed']);
    expect(done(p)).to.deep.equal(['received', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(p.rating).to.include({ open: false, count: 5, average: 4.2, reopened: false });
    expect(p.closedAt).to.be.a('string');
    expect(p.steps.at(-1)!.at).to.equal(p.closedAt);
  });

  it('a poor rating sends it back to handling, and the rating says it was reopened', () => {
    const t = new Topic(config, 't13').submit('电梯问题反映').toMeeting().meet(MEASURES.slice(0, 1)).adopt('m1-1').implement('m1-1').feedback().rate([1, 2, 1, 2, 1]);
    const p = topicProgress(t.snapshot, NOW);
    expect(p.outcome).to.equal('open');
    expect(['handling', 'feedback']).to.include(p.current);
    expect(p.rating?.reopened).to.equal(true);
    expect(p.steps.find((s) => s.key === 'evaluation')?.status).to.equal('upcoming');
  });

  it('a meeting without consensus in the last round ends the topic at the meeting step', async () => {
    const oneRound = await variant('wuxi-community', (raw) => {
      const meeting = raw.steps.find((s) => s.type === 'meeting') as unknown as { maxRounds: number };
      meeting.maxRounds = 1;
    });
    const t = new Topic(oneRound, 't14').submit('电梯问题反映').toMeeting();
    t.send({ type: 'meeting.schedule', format: 'room', start: '2026-03-10T02:00:00.000Z', place: '议事室', conveners: CONVENERS, participants: [] });
    t.startMeeting().send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' });
    t.send({ type: 'meeting.record', time: '2026-03-10T03:00:00.000Z', place: '议事室', topic: '电梯', effect: '分歧较大', consensus: 'none', measures: [] });
    const p = topicProgress(t.snapshot, NOW);
    expect(p.outcome).to.equal('unresolved');
    expect(keys(p)).to.deep.equal(['received', 'screening', 'research', 'meeting']);
    expect(current(p)).to.deep.equal(['meeting']);
    expect(p.record?.consensus).to.equal('none');
  });

  it('only the steps the config enables: without research the meeting follows screening', async () => {
    const noResearch = await variant('wuxi-community', (raw) => {
      raw.steps = raw.steps.filter((s) => s.type !== 'research');
    });
    const p = topicProgress(new Topic(noResearch, 't15').submit('院坝问题反映').send({ type: 'screening.accept' }).snapshot, NOW);
    expect(keys(p)).to.deep.equal(['received', 'screening', 'meeting', 'handling', 'feedback', 'evaluation', 'closed']);
    expect(current(p)).to.deep.equal(['meeting']);
  });

  it('a city\'s own step label is carried for the element to show', async () => {
    const labelled = await variant('wuxi-community', (raw) => {
      (raw.steps.find((s) => s.type === 'meeting') as unknown as { label: unknown }).label = { 'zh-CN': '坝坝会', en: 'Courtyard meeting' };
    });
    const p = topicProgress(new Topic(labelled, 't16').submit('x问题反映').snapshot, NOW);
    expect(p.steps.find((s) => s.key === 'meeting')?.label).to.deep.equal({ 'zh-CN': '坝坝会', en: 'Courtyard meeting' });
    expect(p.steps.find((s) => s.key === 'received')?.label).to.equal(undefined, 'received and closed are always our words');
  });
});
