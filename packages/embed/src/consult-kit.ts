/**
 * consult-kit in one script tag, loaded in parts (`consult-kit.min.js`, `type="module"`):
 *
 * ```html
 * <script src="/assets/consult-kit.min.js" type="module"></script>
 * <consult-workflow config="/consult/programme.json" lang="zh-CN"></consult-workflow>
 * ```
 *
 * This entry is small: it knows every `consult-*` tag and, for each, where its implementation is.
 * When a tag is first used on the page — in the HTML, or added later by the page's own script or
 * framework — it loads that element's code (and nothing else) from the `chunks/` folder beside
 * this file (found from this file's own URL, so the folder may live anywhere), with
 * `modulepreload` hints for every file the element needs, so they download in parallel rather
 * than one after another. The element then defines its tag and the browser upgrades every
 * instance in place. Inside an element, the views it shows load when first shown (the staff desk,
 * the outcomes, the second language's messages, the config checker when a config needs checking).
 *
 * So `customElements.whenDefined('consult-workflow')` resolves once the element has loaded and
 * works, not before; a page that creates elements from script before adding them, and wants the
 * classes first, calls `load()`. Properties set on an element before it is upgraded are kept.
 * Definitions are guarded: a second copy of consult-kit, or this file loaded twice, leaves the
 * first definitions in place and never throws.
 *
 * The classic-script build `consult-kit.iife.min.js` is all in one file (docs/embedding.md says
 * when to pick which).
 */

/** The version of this build. */
export const version = '0.1.0';

/** Every tag and the module that defines it (rollup turns each into a chunk of its own). */
const ELEMENTS: Readonly<Record<string, () => Promise<unknown>>> = {
  'consult-workflow': () => import('@consult-kit/elements/dist/workflow/consult-workflow.js'),
  'consult-topic-form': () => import('@consult-kit/elements/dist/topic-form/consult-topic-form.js'),
  'consult-star-rating': () => import('@consult-kit/elements/dist/star-rating/consult-star-rating.js'),
  'consult-meeting-timeline': () => import('@consult-kit/elements/dist/meeting-timeline/consult-meeting-timeline.js'),
  'consult-outcome-tracker': () => import('@consult-kit/elements/dist/outcome-tracker/consult-outcome-tracker.js'),
  'consult-programme-figures': () => import('@consult-kit/elements/dist/programme-figures/consult-programme-figures.js'),
  'consult-staff-actions': () => import('@consult-kit/elements/dist/staff-actions/consult-staff-actions.js'),
  'consult-my-topics': () => import('@consult-kit/elements/dist/my-topics/consult-my-topics.js'),
  'consult-outcomes-board': () => import('@consult-kit/elements/dist/outcomes-board/consult-outcomes-board.js'),
  'consult-sign-in': () => import('@consult-kit/elements/dist/sign-in/consult-sign-in.js'),
  'consult-overdue-list': () => import('@consult-kit/elements/dist/overdue-list/consult-overdue-list.js'),
  'consult-room': () => import('@consult-kit/elements/dist/room/consult-room.js'),
  'consult-performance-file': () => import('@consult-kit/elements/dist/performance-file/consult-performance-file.js'),
  'consult-room-poster': () => import('@consult-kit/elements/dist/room-poster/consult-room-poster.js'),
  'consult-report-exports': () => import('@consult-kit/elements/dist/report-exports/consult-report-exports.js'),
  'consult-meeting-record': () => import('@consult-kit/elements/dist/records/consult-meeting-record.js'),
  'consult-topic-dossier': () => import('@consult-kit/elements/dist/records/consult-topic-dossier.js'),
  'consult-room-report': () => import('@consult-kit/elements/dist/records/consult-room-report.js'),
  'consult-trend-chart': () => import('@consult-kit/elements/dist/trend-chart/consult-trend-chart.js'),
};

/** Every tag this build knows. */
export const TAGS: readonly string[] = Object.keys(ELEMENTS);

/**
 * For each tag, the chunks its module needs (itself first), relative to this file: filled in by
 * the build (rollup.config.js, `preloadMap`) once the chunk names are known.
 */
const PRELOAD = preloadMap('__CONSULT_KIT_PRELOAD__');

function preloadMap(json: string): Readonly<Record<string, readonly string[]>> {
  try {
    return JSON.parse(json) as Record<string, readonly string[]>;
  } catch {
    return {}; // the unbuilt source: no hints
  }
}

/** This file's name as built: when the page's script has another name, a bundler took this file in. */
const ENTRY_FILE = 'consult-kit.min.js';

const loading = new Map<string, Promise<void>>();

/** Asks the browser to fetch every chunk a tag needs at once. */
function preload(tag: string): void {
  // A host that bundled this file into its own (esbuild, webpack) has no chunks beside it, and
  // perhaps no import.meta.url: no hints then, and the element still loads.
  let base: string;
  try {
    const self = new URL(import.meta.url);
    if (!/^https?:$/.test(self.protocol) || !self.pathname.endsWith(`/${ENTRY_FILE}`)) return;
    base = new URL('.', self).href;
  } catch {
    return;
  }
  for (const file of PRELOAD[tag] ?? []) {
    const href = new URL(file, base).href;
    if (document.head.querySelector(`link[rel="modulepreload"][href="${CSS.escape(href)}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
}

/** Loads one tag's element (once); a failure (offline) is reported and tried again next time. */
function loadTag(tag: string): Promise<void> {
  const known = loading.get(tag);
  if (known) return known;
  const define = ELEMENTS[tag];
  if (!define || customElements.get(tag)) return Promise.resolve();
  preload(tag);
  const promise = define().then(
    () => undefined,
    (error: unknown) => {
      loading.delete(tag);
      console.error(`consult-kit: could not load <${tag}>`, error);
    },
  );
  loading.set(tag, promise);
  return promise;
}

/**
 * Loads and defines the given tags now (every tag when none is given): for a page that creates
 * elements from script and wants their classes (`customElements.get(tag)`) before adding them.
 * Resolves when they are defined (a tag that could not load is reported on the console); never
 * rejects.
 */
export async function load(...tags: string[]): Promise<void> {
  await Promise.all((tags.length ? tags : TAGS).map(loadTag));
}

const SELECTOR = TAGS.join(',');

/** Loads the elements used in or under `root`. */
function scan(root: Element | Document): void {
  if (root instanceof Element && root.localName in ELEMENTS) void loadTag(root.localName);
  for (const element of root.querySelectorAll(SELECTOR)) void loadTag(element.localName);
}

if (typeof document !== 'undefined' && typeof customElements !== 'undefined') {
  scan(document);
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) scan(node);
  }).observe(document, { childList: true, subtree: true });
}
