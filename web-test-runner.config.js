// Browser tests in real Chromium: `npm run test:browser` (scripts/ensure-chromium.mjs, then `wtr`).
// Playwright drives the system Chromium (never a downloaded one: browsers cannot be fetched here).
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/ensure-chromium.mjs';
import { browserTestFiles } from './scripts/test-browser.mjs';
import { studioServerPlugin } from './packages/studio/test/shell-server-plugin.mjs';

const rootDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * JSON modules (`import schema from './workflow.schema.json' with { type: 'json' }` in
 * packages/machine/src). esbuild drops import attributes for target es2022, and the browser then
 * refuses a module served as application/json; so a .json file imported from a module is served
 * as `export default <json>` (under `?json-module`, so a plain `fetch()` of it still gets JSON).
 */
const jsonModules = {
  name: 'json-modules',
  transformImport({ source }) {
    const [path, query] = source.split('?');
    if (path.endsWith('.json')) return `${path}?${query ? `${query}&` : ''}json-module`;
  },
  resolveMimeType(context) {
    if (context.path.endsWith('.json') && context.URL.searchParams.has('json-module')) return 'js';
  },
  transform(context) {
    if (context.path.endsWith('.json') && context.URL.searchParams.has('json-module')) {
      return { body: `export default ${context.body};` };
    }
  },
};

export default {
  rootDir,
  // A pattern that matches nothing is fine while another one matches; when none matches at all,
  // wtr fails, so `npm run test:browser` (scripts/test-browser.mjs) skips before starting it.
  files: browserTestFiles,
  // Bare imports (`idb`, `xstate`, `@consult-kit/machine` → the workspace symlink → its `dist/`,
  // which `npm test` builds first). Relative `./x.js` imports in .ts files are served from `./x.ts`.
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [
    jsonModules,
    // The real reference server for the studio's publishing tests (commands studio-server-start/stop).
    studioServerPlugin(),
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.browser.json', import.meta.url)),
    }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  // 2 cores on our machines and in CI.
  concurrency: 2,
  concurrentBrowsers: 1,
  testFramework: { config: { ui: 'bdd', timeout: 20_000 } },
  testsStartTimeout: 60_000,
  testsFinishTimeout: 5 * 60_000,
  browserStartTimeout: 60_000,
  staticLogging: false,
};
