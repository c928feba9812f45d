/**
 * The page of staff-desk.test.ts (bundled by esbuild from the sources): a portal's staff page
 * with one `<consult-workflow>` on the reference server. The query string says who is at the
 * desk (`role`, `lang`, `token`); the token is a function reading `window.desk.token`, as a
 * portal's own login hands it over, so the test can change it under the desk. What the desk
 * fired and every text its sync line showed are recorded for the test to read.
 */
import '../../src/workflow/consult-workflow.js';
import '../../src/topic-form/consult-topic-form.js';
import '../../src/meeting-timeline/consult-meeting-timeline.js';
import '../../src/outcome-tracker/consult-outcome-tracker.js';
import '../../src/programme-figures/consult-programme-figures.js';
import '../../src/staff-actions/consult-staff-actions.js';
import '../../src/my-topics/consult-my-topics.js';
import '../../src/outcomes-board/consult-outcomes-board.js';
import type { ConsultWorkflow } from '../../src/workflow/workflow.component.js';

const query = new URLSearchParams(location.search);
const desk = {
  token: query.get('token') ?? undefined,
  signInRequired: [] as Array<{ reason: string; detail?: string; pending: number }>,
  syncTexts: [] as string[],
};
(window as unknown as { desk: typeof desk }).desk = desk;

const wf = document.createElement('consult-workflow') as ConsultWorkflow;
wf.token = () => desk.token;
wf.setAttribute('lang', query.get('lang') ?? 'zh-CN');
wf.setAttribute('user-role', query.get('role') ?? 'convener');
wf.setAttribute('endpoint', query.get('endpoint')!);
wf.setAttribute('db-name', query.get('db')!);
wf.setAttribute('config', `${query.get('endpoint')!}/programmes/${query.get('programme')!}/config`);
wf.addEventListener('consult-sign-in-required', (e) => desk.signInRequired.push(e.detail));
document.querySelector('main')!.append(wf);

// Every text the sync line shows, in order (a MutationObserver sees even a short-lived one).
const seen = () => {
  const text = wf.shadowRoot?.querySelector('[part~="sync"]')?.textContent?.replace(/\s+/g, ' ').trim();
  if (text && desk.syncTexts.at(-1) !== text) desk.syncTexts.push(text);
};
void wf.updateComplete.then(() => {
  new MutationObserver(seen).observe(wf.shadowRoot!, { subtree: true, childList: true, characterData: true });
});
document.body.dataset.ready = 'true';
