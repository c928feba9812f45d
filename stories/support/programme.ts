/**
 * Data for the stories, built the way the browser tests build it (packages/elements/test/
 * programme.ts): the example configs of examples/configs/, topics driven through the lifecycle by
 * the machine's own pure transitions, and `manyMeasures(n)` for the sizes a city reaches. Nothing
 * here is invented beside those builders: `LoggedTopic` is the tests' `Topic` that also keeps the
 * log entries it sent, so the timeline can tell the story from the log.
 */
import { parseWorkflowConfig, type LogEntry, type TopicEventBody, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import { openStore, type ConsultStore } from '@consult-kit/store';
import { ContextProvider } from '@lit/context';
import { storeContext } from '../../packages/elements/src/context/consultation-context.js';
import { Topic, NOW, manyMeasures, programme } from '../../packages/elements/test/programme.js';
import wuxiJson from '../../examples/configs/wuxi-community.json' with { type: 'json' };
import sichuanJson from '../../examples/configs/sichuan-courtyard.json' with { type: 'json' };
import guangshuiJson from '../../examples/configs/guangshui-frontline.json' with { type: 'json' };

export { NOW, manyMeasures, programme };

/** The example configs, raw, by a short name (the story controls offer these). */
export const RAW_CONFIGS = {
  wuxi: wuxiJson,
  sichuan: sichuanJson,
  guangshui: guangshuiJson,
} as const satisfies Record<string, unknown>;

export type ConfigName = keyof typeof RAW_CONFIGS;
export const CONFIG_NAMES = Object.keys(RAW_CONFIGS) as ConfigName[];

/** Where each example comes from, for control labels. */
export const CONFIG_TITLES: Record<ConfigName, string> = {
  wuxi: 'wuxi-community.json — 无锡 有事好商量',
  sichuan: 'sichuan-courtyard.json — 四川 院坝协商',
  guangshui: 'guangshui-frontline.json — 广水 一线协商',
};

/** A deep copy of an example config, so a story may change it (e.g. its transport) freely. */
export function rawConfig(name: ConfigName): Record<string, unknown> {
  return structuredClone(RAW_CONFIGS[name]) as Record<string, unknown>;
}

/**
 * An example config as the stories run it: the data stays in this browser (`local` transport),
 * since Storybook has no city backend behind it (Guangshui's config points at `/api`).
 */
export function localConfig(name: ConfigName): Record<string, unknown> {
  return { ...rawConfig(name), transport: { type: 'local' } };
}

const parsedCache = new Map<ConfigName, WorkflowConfig>();

/** An example config checked by the machine (throws with every fault if one were wrong). */
export function config(name: ConfigName): WorkflowConfig {
  let parsed = parsedCache.get(name);
  if (!parsed) {
    const result = parseWorkflowConfig(localConfig(name));
    if (!result.ok) throw new Error(result.errors.map((e) => `${e.pointer}: ${e.message}`).join('\n'));
    parsed = result.config;
    parsedCache.set(name, parsed);
  }
  return parsed;
}

type SendArgs = Parameters<Topic['send']>;

/** The tests' `Topic` builder, also keeping the log entries it sent (in order, one clock). */
export class LoggedTopic extends Topic {
  readonly entries: LogEntry[] = [];
  readonly id: string;
  constructor(config: WorkflowConfig, id: string, start?: string) {
    super(config, id, start);
    this.id = id;
  }
  override send(body: SendArgs[0], by: SendArgs[1] = { role: 'convener', id: 'convener-1' }, hours?: number): this {
    super.send(body, by, hours);
    this.entries.push({
      id: `${this.id}-e${this.entries.length + 1}`,
      topicId: this.id,
      seq: 0,
      event: body as TopicEventBody,
      by,
      at: this.snapshot.context.updatedAt!,
    });
    return this;
  }
}

const LIFT_MEASURES = [
  { text: '成立加装电梯业主小组，征求全体住户意见', party: 'residents-committee', due: '2026-04-01' },
  { text: '联系区住建局完成电梯选型和审批', party: 'housing-bureau', due: '2026-04-20' },
];

/** The Wuxi topics of `programme()` in the tests, each kept with its log, plus the stages it leaves out. */
export function wuxiStages() {
  const c = config('wuxi');
  const screening = new LoggedTopic(c, 't-new', '2026-03-05T01:00:00.000Z').submit('楼道灯不亮的问题');
  const rejected = new LoggedTopic(c, 't-rejected', '2026-03-05T01:00:00.000Z')
    .submit('邻居装修噪音纠纷')
    .send({ type: 'screening.reject', reason: '属于个人诉求，请通过人民调解解决' });
  const research = new LoggedTopic(c, 't-research', '2026-03-04T01:00:00.000Z').submit('小区健身器材老化').send({ type: 'screening.accept' });
  const planning = new LoggedTopic(c, 't-elder', '2026-03-04T01:00:00.000Z').submit('老年助餐点').toMeeting();
  const scheduled = new LoggedTopic(c, 't-scheduled', '2026-03-04T01:00:00.000Z')
    .submit('背街小巷路面破损')
    .toMeeting()
    .send({
      type: 'meeting.schedule',
      format: 'courtyard',
      start: '2026-06-08T01:30:00.000Z',
      place: '幸福里小区中心花园',
      conveners: [
        { name: '李书记', role: 'convener' },
        { name: '王委员', role: 'member' },
      ],
      participants: [
        { name: '陈阿姨', role: 'representative' },
        { name: '区城管局', role: 'department' },
      ],
    });
  const inSession = new LoggedTopic(c, 't-session', '2026-03-04T01:00:00.000Z')
    .submit('菜市场周边占道经营')
    .toMeeting()
    .send({
      type: 'meeting.schedule',
      format: 'room',
      start: '2026-03-10T01:30:00.000Z',
      place: '社区议事室',
      conveners: [
        { name: '李书记', role: 'convener' },
        { name: '王委员', role: 'member' },
      ],
      participants: [
        { name: '摊主代表', role: 'stakeholder' },
        { name: '街道城管中队', role: 'department' },
      ],
    })
    .startMeeting()
    .send({ type: 'meeting.advance' });
  // Two rounds: the first ends without consensus, the second agrees.
  const rounds = new LoggedTopic(c, 't-gas', '2026-03-02T01:00:00.000Z').submit('老旧小区管道燃气入户').toMeeting();
  rounds.send({
    type: 'meeting.schedule',
    format: 'stairwell',
    start: '2026-03-09T11:00:00.000Z',
    place: '5号楼楼道',
    conveners: [
      { name: '李书记', role: 'convener' },
      { name: '王委员', role: 'member' },
    ],
    participants: [
      { name: '陈阿姨', role: 'representative' },
      { name: '燃气公司', role: 'stakeholder' },
    ],
  });
  rounds.startMeeting().send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' }).send({ type: 'meeting.advance' });
  rounds.send({ type: 'meeting.record', time: '2026-03-09T12:30:00.000Z', place: '5号楼楼道', topic: '管道燃气入户', effect: '费用分摊方案意见不一，约定下次再议', consensus: 'none', measures: [] });
  rounds.meet([{ text: '燃气公司按户分期收取初装费，困难家庭由街道补助', party: 'street-office', due: '2026-09-30' }]);
  const handling = new LoggedTopic(c, 't-parking', '2026-03-02T01:00:00.000Z')
    .submit('幸福里小区停车难')
    .toMeeting()
    .meet([
      { text: '重新划设停车位，增加四十个车位', party: 'street-office', due: '2026-04-15' },
      { text: '把小区绿地改成停车场', party: 'property-company', due: '2026-05-01' },
      { text: '错时共享周边单位停车场', party: '幸福里业主委员会', due: '2026-09-30' },
    ])
    .adopt('m1-1')
    .progress('m1-1')
    .decline('m1-2', '绿地是规划绿化用地，不能改作停车场')
    .adopt('m1-3');
  const evaluation = new LoggedTopic(c, 't-waste', '2026-03-03T01:00:00.000Z')
    .submit('垃圾分类投放点异味')
    .toMeeting()
    .meet([{ text: '投放点加装除臭设备并每天清洗', party: 'property-company', due: '2026-12-31' }])
    .adopt('m1-1')
    .implement('m1-1')
    .feedback();
  const closed = new LoggedTopic(c, 't-lift')
    .submit('3号楼加装电梯')
    .toMeeting()
    .meet(LIFT_MEASURES)
    .adopt('m1-1')
    .implement('m1-1')
    .adopt('m1-2')
    .implement('m1-2')
    .feedback()
    .rate([5, 4, 4, 5, 3]);
  return { screening, rejected, research, planning, scheduled, inSession, rounds, handling, evaluation, closed };
}

export type WuxiStage = keyof ReturnType<typeof wuxiStages>;

/** The log of several topics merged in time order, numbered as a store numbers it. */
export function mergedLog(topics: readonly LoggedTopic[]): LogEntry[] {
  return topics
    .flatMap((t) => t.entries)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e, i) => ({ ...e, seq: i + 1 }));
}

/** Every Wuxi stage's snapshot, for the tracker and the figures. */
export function wuxiSnapshots(): TopicSnapshot[] {
  return Object.values(wuxiStages()).map((t) => t.snapshot);
}

// ── Stores ──────────────────────────────────────────────────────────────────────────────────

const open = new Map<string, ConsultStore>();

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * A real store (IndexedDB, the local transport) in a database of its own, emptied first and
 * filled with these topics' events through `append`, exactly as a person's actions would be.
 * The previous store of the same name is closed, so re-rendering a story starts afresh.
 */
export async function seededStore(dbName: string, name: ConfigName, topics: readonly LoggedTopic[] = []): Promise<ConsultStore> {
  open.get(dbName)?.close();
  open.delete(dbName);
  await deleteDatabase(dbName);
  const store = await openStore({ config: localConfig(name), dbName, pullIntervalMs: 0 });
  for (const entry of mergedLog(topics)) {
    const result = await store.append(entry.topicId, { ...entry.event, by: entry.by, at: entry.at } as never);
    if (!result.ok) throw new Error(`${entry.event.type} refused: ${result.refusal.message}`);
  }
  open.set(dbName, store);
  return store;
}

/** Seeds a database for `<consult-workflow db-name=…>`, then closes it so the workflow opens its own. */
export async function seedDatabase(dbName: string, name: ConfigName, topics: readonly LoggedTopic[] = []): Promise<void> {
  const store = await seededStore(dbName, name, topics);
  store.close();
  open.delete(dbName);
}

/**
 * A wrapper that provides `store` through `storeContext`, as `<consult-workflow>` does for the
 * elements inside it; `child` goes in it.
 */
export function provide(store: unknown, child: Element): HTMLElement {
  const wrapper = document.createElement('div');
  new ContextProvider(wrapper, { context: storeContext, initialValue: store as never });
  wrapper.append(child);
  return wrapper;
}

/**
 * A store whose city backend cannot be reached: every send is answered "offline, try again", so
 * what a person submits stays in the outbox ("saved on this device") — the courtyard kiosk with
 * no signal.
 */
export async function offlineStore(dbName: string, name: ConfigName): Promise<ConsultStore> {
  open.get(dbName)?.close();
  open.delete(dbName);
  await deleteDatabase(dbName);
  const store = await openStore({
    config: { ...rawConfig(name), transport: { type: 'http', endpoint: '/offline' } },
    dbName,
    pullIntervalMs: 0,
    backoff: { baseMs: 60_000, maxMs: 60_000 },
    transport: {
      kind: 'http',
      send: async () => ({ kind: 'retry', error: 'Network: offline' }),
      pull: async () => ({ entries: [], cursor: '0', more: false }),
    },
  });
  open.set(dbName, store);
  return store;
}

/** One page with a field of every type the intake form knows, taken from the three example configs. */
export function everyFieldTypeConfig(): Record<string, unknown> {
  type Field = { name: string; type: string; role?: string; visibleWhen?: unknown };
  const base = localConfig('guangshui');
  const pages = CONFIG_NAMES.flatMap((n) => (rawConfig(n).form as { pages: Array<{ fields: Field[] }> }).pages);
  const fields: Field[] = [];
  const seenTypes = new Set<string>();
  for (const field of pages.flatMap((p) => p.fields)) {
    if (seenTypes.has(field.type) || field.visibleWhen || fields.some((f) => f.name === field.name)) continue;
    seenTypes.add(field.type);
    fields.push(field);
  }
  // The form needs a title and a description field; the first text and textarea carry those roles.
  return {
    ...base,
    form: {
      pages: [
        {
          id: 'every-type',
          title: { 'zh-CN': '每种字段', en: 'Every field type' },
          description: { 'zh-CN': '示例配置中出现的每一种字段各一个。', en: 'One of each field type found in the example configs.' },
          fields,
        },
      ],
    },
  };
}
