// The page script for the growth rows: the same element, machine and store code the embed ships
/* global window, document, performance, requestAnimationFrame, NodeFilter, URLSearchParams, location, MutationObserver */
// (their dist builds), and functions the bench calls with page.evaluate.
import '@consult-kit/elements/all.js';
import { applyEntry, parseWorkflowConfig } from '@consult-kit/machine';
// The tests' own builder of measures (as selectMeasures returns them), so bench and tests agree.
import { manyMeasures, NOW } from '../../packages/elements/test/programme.ts';
import { openStore } from '@consult-kit/store';
import raw from '../../examples/configs/wuxi-community.json';

const parsed = parseWorkflowConfig(raw);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const config = parsed.config;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const CONVENER = { role: 'convener', id: 'convener-1' };
const DEPT = { role: 'department', id: 'dept-1' };

/** Elements in a tree, counting into every shadow root inside it. */
function countNodes(root) {
  let n = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  while (walker.nextNode()) {
    n += 1;
    if (walker.currentNode.shadowRoot) n += countNodes(walker.currentNode.shadowRoot);
  }
  return n;
}

/** Builds the measures (not timed); the bench reads the heap, then calls window.benchMountTracker. */
window.benchPrepareTracker = (n) => {
  window.__measures = manyMeasures(n);
  return window.__measures.length;
};

/** Mounts <consult-outcome-tracker> with the prepared measures: time to updateComplete + a frame. */
window.benchMountTracker = async () => {
  const t0 = performance.now();
  const el = document.createElement('consult-outcome-tracker');
  el.now = NOW;
  el.measures = window.__measures;
  document.body.append(el);
  await el.updateComplete;
  await frame();
  const ms = performance.now() - t0;
  // Let the virtualiser measure and place its rows before counting them.
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await frame();
  }
  return { ms, nodes: countNodes(el.shadowRoot), rows: el.shadowRoot.querySelectorAll('[role="listitem"]').length };
};

/** One topic's log of `n` entries: through a meeting to handling, then measure.progress notes. */
function topicLog(n) {
  const topics = new Map();
  const entries = [];
  let clock = Date.parse('2026-03-01T01:00:00.000Z');
  const send = (body, by = CONVENER) => {
    clock += 3_600_000;
    const entry = { id: `e${entries.length + 1}`, topicId: 'big', seq: entries.length + 1, event: body, by, at: new Date(clock).toISOString() };
    const refusal = applyEntry(config, topics, entry);
    if (refusal) throw new Error(`${body.type}: ${refusal.code} ${refusal.message}`);
    entries.push(entry);
  };
  send({ type: 'topic.submit', source: 'resident', values: { title: '3号楼加装电梯', description: '三号楼住了很多老人，上下楼很难，希望加装电梯，大家商量出资办法。', category: 'lift', name: '张阿姨', contactWanted: 'no', consent: true } }, { role: 'resident', id: 'r-zhang' });
  send({ type: 'screening.accept' });
  send({ type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持加装电梯，五户担心噪音和采光。' });
  const start = clock + 7 * 86_400_000;
  send({
    type: 'meeting.schedule', format: 'room', start: new Date(start).toISOString(), place: '社区议事室',
    conveners: [{ name: '李书记', role: 'convener' }, { name: '王委员', role: 'member' }],
    participants: [{ name: '陈阿姨', role: 'representative' }, { name: '住建局', role: 'department' }],
  });
  // A meeting starts when it was scheduled to (the machine refuses an earlier start: meeting-not-yet).
  clock = start - 3_600_000;
  send({ type: 'meeting.start' });
  for (let i = 0; i < 3; i += 1) send({ type: 'meeting.advance' });
  send({ type: 'meeting.record', time: new Date(clock).toISOString(), place: '社区议事室', topic: '3号楼加装电梯', effect: '居民同意按户分摊费用', consensus: 'full', measures: [{ id: 'm-lift', text: '加装电梯并完成验收', party: 'housing-bureau', due: '2026-09-01' }] });
  send({ type: 'measure.adopt', measureId: 'm-lift' }, DEPT);
  while (entries.length < n) send({ type: 'measure.progress', measureId: 'm-lift', note: `第 ${entries.length - 9} 次施工进展` }, DEPT);
  return { snapshot: topics.get('big'), entries };
}

window.benchPrepareTimeline = (n) => {
  window.__log = topicLog(n);
  return window.__log.entries.length;
};

/** Mounts <consult-meeting-timeline> with the prepared log: time to updateComplete + a frame. */
window.benchMountTimeline = async () => {
  const t0 = performance.now();
  const el = document.createElement('consult-meeting-timeline');
  el.now = NOW;
  el.snapshot = window.__log.snapshot;
  el.entries = window.__log.entries;
  document.body.append(el);
  await el.updateComplete;
  await frame();
  const ms = performance.now() - t0;
  // Let the windowed records measure and place themselves before counting them.
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await frame();
  }
  return { ms, nodes: countNodes(el.shadowRoot), rows: el.shadowRoot.querySelectorAll('li.item').length };
};

/** Resolves when `check()` is true (polled each frame), or fails after `ms`. */
async function until(check, what, ms = 60_000) {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frame();
  }
}

/**
 * The convener's topic list: `n` topics filled into IndexedDB through the store (not timed), a
 * convener's <consult-workflow> opened on them showing the list, then another view (figures), so
 * that benchMountTopicList times the list alone being shown again.
 */
window.benchPrepareTopicList = async (n) => {
  const dbName = `list-${n}-${Math.random().toString(36).slice(2)}`;
  await window.benchPrefill(dbName, n);
  const el = document.createElement('consult-workflow');
  el.setAttribute('db-name', dbName);
  el.setAttribute('user-role', 'convener');
  el.config = raw;
  document.body.append(el);
  const setsize = () => el.shadowRoot?.querySelector('#topic-list > li')?.getAttribute('aria-setsize');
  await until(() => setsize() === String(n), `the list of ${n} topics`);
  el.setAttribute('view', 'figures');
  await until(() => el.shadowRoot.querySelector('consult-programme-figures') && !el.shadowRoot.querySelector('#topic-list'), 'the figures view');
  await el.updateComplete;
  await frame();
  window.__workflow = el;
  return n;
};

/**
 * Shows the topic list again, five times (another view between): each time to updateComplete and
 * a forced layout (its render takes about a millisecond, so a frame would time the frame); the
 * median of the five. Then the window settles and is counted.
 */
window.benchMountTopicList = async () => {
  const el = window.__workflow;
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    if (i > 0) {
      el.setAttribute('view', 'figures');
      await el.updateComplete;
      await frame();
    }
    const t0 = performance.now();
    el.setAttribute('view', 'timeline');
    await el.updateComplete;
    const list = el.shadowRoot.querySelector('#topic-list');
    if (!list) throw new Error('the topic list did not show');
    void list.getBoundingClientRect().height; // style and layout, now
    times.push(performance.now() - t0);
    await frame();
  }
  times.sort((a, b) => a - b);
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await frame();
  }
  return { ms: times[2], nodes: countNodes(el.shadowRoot), rows: el.shadowRoot.querySelectorAll('#topic-list > li').length };
};

/** Fills database `dbName` with `n` topics (submitted and accepted) through the store, local transport. */
window.benchPrefill = async (dbName, n) => {
  const store = await openStore({ config, dbName, pullIntervalMs: 0 });
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    const topicId = `t-${i}`;
    const at = new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 60_000).toISOString();
    const submit = await store.append(topicId, {
      type: 'topic.submit', source: 'resident', by: { role: 'resident', id: `r-${i}` }, at,
      values: { title: `议题 ${i + 1}：楼道照明改造`, description: '楼道灯坏了很久，老人晚上上下楼很不方便，希望尽快修好。', category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
    });
    if (!submit.ok) throw new Error(submit.refusal.message);
    const accept = await store.append(topicId, { type: 'screening.accept', by: CONVENER, at });
    if (!accept.ok) throw new Error(accept.refusal.message);
  }
  const ms = performance.now() - t0;
  const entries = store.log.length;
  store.close();
  return { ms, entries };
};

// Cold start: the page was loaded with ?workflow=<db>&n=<topics>. Times from the inline mark at
// the top of the page to the workflow's topic list showing all n topics.
const params = new URLSearchParams(location.search);
if (params.has('workflow')) {
  const n = Number(params.get('n'));
  const el = document.createElement('consult-workflow');
  el.setAttribute('db-name', params.get('workflow'));
  el.setAttribute('user-role', 'convener');
  el.config = raw;
  document.body.append(el);
  const check = () => {
    // The list knows every topic (aria-setsize), though above 20 it renders only those on screen.
    const list = el.shadowRoot.querySelector('#topic-list');
    if (list && list.querySelector('li')?.getAttribute('aria-setsize') === String(n)) {
      window.__benchDone = performance.now() - window.__t0;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(el.shadowRoot, { childList: true, subtree: true });
  check();
}
