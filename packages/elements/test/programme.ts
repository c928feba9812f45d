/**
 * A realistic programme for browser tests, built with the machine's pure transitions (no Node-only
 * fixtures): the Wuxi example config, topics in every stage and measures in every status, and
 * `manyMeasures(n)` for list sizes a city reaches (constructed MeasureView objects).
 */
import { ContextProvider } from '@lit/context';
import { storeContext } from '../src/context/consultation-context.js';
import { applyEvent, isOverdue, newTopic, parseWorkflowConfig, type MeasureInput, type MeasureView, type TopicEvent, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';

type Body = TopicEvent extends infer E ? (E extends TopicEvent ? Omit<E, 'by' | 'at'> : never) : never;

const STAFF = { role: 'convener', id: 'convener-1' } as const;
const DEPT = { role: 'department', id: 'dept-1' } as const;

/** A topic driven through the lifecycle by pure transitions, each event an hour after the last. */
export class Topic {
  snapshot: TopicSnapshot;
  private clock: number;
  constructor(readonly config: WorkflowConfig, id: string, start = '2026-03-01T01:00:00.000Z') {
    this.snapshot = newTopic(config, id);
    this.clock = Date.parse(start);
  }
  send(body: Body, by: TopicEvent['by'] = STAFF, hours = 1): this {
    this.clock += hours * 3600_000;
    const event = { ...body, by, at: new Date(this.clock).toISOString() } as TopicEvent;
    const result = applyEvent(this.config, this.snapshot, event);
    if (!result.ok) throw new Error(`${event.type}: ${result.refusal.code} ${result.refusal.message}`);
    this.snapshot = result.snapshot;
    return this;
  }
  submit(title: string): this {
    return this.send(
      {
        type: 'topic.submit',
        source: 'resident',
        values: { title, description: `${title}：居民反映多年，希望社区组织大家坐下来商量解决办法。`, category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
      },
      { role: 'resident', id: `r-${title}` },
    );
  }
  toMeeting(): this {
    return this.send({ type: 'screening.accept' }).send({ type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持，已收集各方意见和现场照片。' });
  }
  meet(measures: MeasureInput[]): this {
    this.send({
      type: 'meeting.schedule',
      format: 'room',
      // Held at the next hour, when it is started: a meeting may not start before its time.
      start: new Date(this.clock + 2 * 3600_000).toISOString(),
      place: '社区议事室',
      conveners: [
        { name: '李书记', role: 'convener' },
        { name: '王委员', role: 'member' },
      ],
      participants: [
        { name: '陈阿姨', role: 'representative' },
        { name: '住建局', role: 'department' },
        { name: '物业公司', role: 'stakeholder' },
      ],
    });
    this.send({ type: 'meeting.start' }).send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' });
    return this.send({ type: 'meeting.record', time: new Date(this.clock).toISOString(), place: '社区议事室', topic: 'topic', effect: '达成共识', consensus: 'full', measures });
  }
  /** Starts the scheduled meeting at its start time (no meeting before its day), or an hour after the last event if that is later. */
  startMeeting(): this {
    const start = Date.parse(this.snapshot.context.meetings.at(-1)?.start ?? '');
    const hours = Number.isFinite(start) ? Math.max(1, (start - this.clock) / 3600_000) : 1;
    return this.send({ type: 'meeting.start' }, STAFF, hours);
  }
  adopt(id: string): this {
    return this.send({ type: 'measure.adopt', measureId: id }, DEPT);
  }
  progress(id: string): this {
    return this.send({ type: 'measure.progress', measureId: id, note: '已完成设计' }, DEPT);
  }
  implement(id: string): this {
    return this.send({ type: 'measure.implement', measureId: id, result: '已完成并通过验收' }, DEPT);
  }
  decline(id: string, reason: string): this {
    return this.send({ type: 'measure.decline', measureId: id, reason }, DEPT);
  }
  feedback(): this {
    return this.send({ type: 'feedback.publish', text: '各项措施已办理完毕，办理结果已在社区公示栏公开，欢迎居民监督评价。' });
  }
  rate(stars: number[]): this {
    // Whoever raised the topic rates first, then residents the portal verified (each once).
    const submitter = this.snapshot.context.submittedBy?.id;
    stars.forEach((s, i) => this.send({ type: 'rating.submit', stars: s }, { role: 'resident', id: i === 0 && submitter ? submitter : `portal:rater-${i}` }));
    return this.send({ type: 'evaluation.close' });
  }
}

export async function wuxi(): Promise<WorkflowConfig> {
  const raw = await (await fetch('/examples/configs/wuxi-community.json')).json();
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

/** The time the tests judge "overdue" by. */
export const NOW = '2026-06-01T00:00:00.000Z';

/**
 * A small programme: topics in every stage, measures in every status. At {@link NOW} one measure
 * is overdue (停车: 重新划设停车位, in progress, due 2026-04-15).
 */
export function programme(config: WorkflowConfig): TopicSnapshot[] {
  const lift = new Topic(config, 't-lift')
    .submit('3号楼加装电梯')
    .toMeeting()
    .meet([
      { text: '成立加装电梯业主小组，征求全体住户意见', party: 'residents-committee', due: '2026-04-01' },
      { text: '联系区住建局完成电梯选型和审批', party: 'housing-bureau', due: '2026-04-20' },
    ])
    .adopt('m1-1').implement('m1-1').adopt('m1-2').implement('m1-2')
    .feedback()
    .rate([5, 4, 4, 5, 3]);
  const parking = new Topic(config, 't-parking', '2026-03-02T01:00:00.000Z')
    .submit('幸福里小区停车难')
    .toMeeting()
    .meet([
      { text: '重新划设停车位，增加四十个车位', party: 'street-office', due: '2026-04-15' },
      { text: '把小区绿地改成停车场', party: 'property-company', due: '2026-05-01' },
      { text: '错时共享周边单位停车场', party: '幸福里业主委员会', due: '2026-09-30' },
    ])
    .adopt('m1-1').progress('m1-1')
    .decline('m1-2', '绿地是规划绿化用地，不能改作停车场')
    .adopt('m1-3');
  const waste = new Topic(config, 't-waste', '2026-03-03T01:00:00.000Z')
    .submit('垃圾分类投放点异味')
    .toMeeting()
    .meet([{ text: '投放点加装除臭设备并每天清洗', party: 'property-company', due: '2026-12-31' }]);
  const elder = new Topic(config, 't-elder', '2026-03-04T01:00:00.000Z').submit('老年助餐点').toMeeting();
  const screening = new Topic(config, 't-new', '2026-03-05T01:00:00.000Z').submit('楼道灯不亮的问题');
  const rejected = new Topic(config, 't-rejected', '2026-03-05T01:00:00.000Z')
    .submit('邻居装修噪音纠纷')
    .send({ type: 'screening.reject', reason: '属于个人诉求，请通过人民调解解决' });
  return [lift, parking, waste, elder, screening, rejected].map((t) => t.snapshot);
}

const PARTIES = ['residents-committee', 'street-office', 'housing-bureau', 'civil-affairs', 'property-company', '幸福里业主委员会'];
const STATUSES = ['proposed', 'adopted', 'inProgress', 'implemented', 'declined'] as const;

/** `n` measures, deterministic: statuses, parties, levels and due dates cycle; 1 in 5 open ones past due at NOW. */
export function manyMeasures(n: number): MeasureView[] {
  return Array.from({ length: n }, (_, i): MeasureView => {
    const status = STATUSES[i % STATUSES.length]!;
    const due = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    return {
      id: `m1-${(i % 3) + 1}`,
      text: `第 ${i + 1} 项措施：楼道照明改造和消防通道清理`,
      party: PARTIES[i % PARTIES.length]!,
      due,
      round: 1,
      status,
      notes: [],
      reopened: 0,
      topicId: `t-${Math.floor(i / 3)}`,
      topicTitle: `议题 ${Math.floor(i / 3) + 1}：老旧小区改造`,
      level: i % 7 === 0 ? 'street' : 'community',
      overdue: isOverdue({ status, due }, NOW),
      feedbackGiven: status === 'implemented',
      rating: status === 'implemented' ? 4.2 : null,
      ...(status === 'declined' ? { reason: '资金不足' } : {}),
    };
  });
}

/**
 * A stand-in for the workflow's store, provided through `storeContext` on a wrapper appended to
 * the page: `replace(topics)` changes its topics and notifies, `listeners` shows who follows it.
 */
export function providedStore(config: WorkflowConfig, topics: TopicSnapshot[]) {
  const listeners = new Set<() => void>();
  const store = {
    config,
    topics: new Map(topics.map((t) => [t.context.topicId, t])),
    subscribe(listener: () => void) {
      listeners.add(listener);
      listener();
      return () => listeners.delete(listener);
    },
  };
  const provider = document.createElement('div');
  new ContextProvider(provider, { context: storeContext, initialValue: store as never });
  document.body.append(provider);
  return {
    provider,
    listeners,
    replace(next: TopicSnapshot[]) {
      store.topics = new Map(next.map((t) => [t.context.topicId, t]));
      for (const l of listeners) l();
    },
    get topics() {
      return [...store.topics.values()];
    },
  };
}
