/** Browser test helpers: configs, events, a scriptable fake server transport, waiting. */
import { parseWorkflowConfig, type LogEntry, type TopicEvent, type WorkflowConfig } from '@consult-kit/machine';
import type { OutboxEntry, PullResult, SendResult, Transport } from '../src/store.types.js';

export async function exampleConfig(name: string, transport?: WorkflowConfig['transport']): Promise<WorkflowConfig> {
  const raw = (await (await fetch(`/examples/configs/${name}.json`)).json()) as Record<string, unknown>;
  if (transport) raw.transport = transport;
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

let clock = Date.parse('2026-05-01T02:00:00Z');
/** A strictly increasing event time. */
export const at = () => new Date((clock += 60_000)).toISOString();

export function submit(title = '3号楼加装电梯'): TopicEvent {
  return {
    type: 'topic.submit',
    values: {
      title,
      description: '三号楼住了很多老人，上下楼很难，希望加装电梯。',
      category: 'lift',
      name: '陈阿姨',
      contactWanted: 'no',
      consent: true,
    },
    source: 'resident',
    by: { role: 'resident', id: 'resident-1' },
    at: at(),
  };
}

export const accept = (): TopicEvent => ({ type: 'screening.accept', by: { role: 'convener', id: 'c1' }, at: at() });
export const reject = (): TopicEvent => ({ type: 'screening.reject', reason: '属于个人诉求，请走信访渠道', by: { role: 'convener', id: 'c2' }, at: at() });

/** A unique database name per test, so tests never see each other's data. */
export const dbName = (label: string) => `test-${label}-${Math.random().toString(36).slice(2)}`;

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A city server in memory behind the Transport interface: dedups by id, assigns seq, and
 * answers from a script first when one is given (to inject 503s, conflicts, lost answers).
 */
export class FakeServer implements Transport {
  readonly kind = 'http' as const;
  readonly log: LogEntry[] = [];
  readonly sent: OutboxEntry[] = [];
  script: Array<(entry: OutboxEntry) => SendResult | 'apply-and-lose'> = [];

  async send(entry: OutboxEntry): Promise<SendResult> {
    this.sent.push(entry);
    const step = this.script.shift()?.(entry);
    if (step === 'apply-and-lose') {
      this.apply(entry);
      return { kind: 'retry', error: 'Network: the answer was lost' };
    }
    if (step) return step;
    return { kind: 'ok', entry: this.apply(entry) };
  }

  apply(entry: OutboxEntry): LogEntry {
    const existing = this.log.find((e) => e.id === entry.id);
    if (existing) return existing;
    const logged = { ...entry.entry, seq: this.log.length + 1 };
    this.log.push(logged);
    return logged;
  }

  /** Another person's event, written straight to the server. */
  external(topicId: string, event: TopicEvent): LogEntry {
    const { by, at: time, ...body } = event;
    const logged = { id: `ext-${this.log.length + 1}`, topicId, seq: this.log.length + 1, event: body, by, at: time } as LogEntry;
    this.log.push(logged);
    return logged;
  }

  async pull(cursor: string | undefined): Promise<PullResult> {
    const after = Number(cursor ?? 0);
    const entries = this.log.filter((e) => e.seq > after);
    return { entries, cursor: String(this.log.length), more: false };
  }
}
