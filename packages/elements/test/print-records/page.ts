/**
 * The page of print-records.test.ts (bundled by esbuild from the sources): one printable record,
 * chosen by the query string (`tag`, `lang`, `measures`, `participants`), drawn from a log built
 * and replayed with the machine (fixture.ts) through the Wuxi example config. `window.ready` turns
 * true once the element has rendered.
 */
import '../../src/records/consult-meeting-record.js';
import '../../src/records/consult-topic-dossier.js';
import '../../src/records/consult-room-report.js';
import { parseWorkflowConfig } from '@consult-kit/machine';
import wuxi from '../../../../examples/configs/wuxi-community.json' with { type: 'json' };
import { NOW, recordsData } from './fixture.js';

const query = new URLSearchParams(location.search);
const lang = query.get('lang') === 'en' ? 'en' : 'zh-CN';
const parsed = parseWorkflowConfig(wuxi);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const data = recordsData(parsed.config, { measures: Number(query.get('measures') ?? 40), participants: Number(query.get('participants') ?? 30), lang });
document.documentElement.lang = lang;

const tag = query.get('tag') ?? 'consult-meeting-record';
const el = document.createElement(tag) as HTMLElement & { updateComplete: Promise<unknown> } & Record<string, unknown>;
el.setAttribute('lang', lang);
if (tag === 'consult-room-report') Object.assign(el, { data: data.room, topics: [...data.log.topics.values()], period: '2026' });
else Object.assign(el, { topic: data.log.get(data.topicId), entries: data.log.entries, now: NOW });
document.querySelector('main')!.append(el);
void el.updateComplete.then(() => {
  (window as unknown as { ready: boolean }).ready = true;
});
