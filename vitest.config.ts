/**
 * The story tests (`npm run test:stories`): every story in stories/ rendered in Debian's Chromium
 * through @storybook/addon-vitest (Vitest browser mode, Playwright driving /usr/bin/chromium —
 * never a downloaded browser), its play function run, then axe with the WCAG 2.2 AA tags; any
 * error or violation fails the story. Stories tagged `forced-colors` run a second time with
 * `forced-colors: active` emulated.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/ensure-chromium.mjs';

const configDir = fileURLToPath(new URL('./.storybook', import.meta.url));
const setupFiles = [fileURLToPath(new URL('./.storybook/vitest.setup.ts', import.meta.url))];

const chromium = (forcedColors: 'active' | 'none') => ({
  enabled: true,
  headless: true,
  provider: playwright({
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    contextOptions: { forcedColors, reducedMotion: 'reduce' as const },
  }),
  instances: [{ browser: 'chromium' as const, viewport: { width: 1024, height: 800 } }],
  screenshotFailures: false,
});

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        plugins: [storybookTest({ configDir, storybookScript: 'npm run storybook -- --no-open' })],
        test: { name: 'stories', setupFiles, browser: chromium('none') },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir, tags: { include: ['forced-colors'] } })],
        test: { name: 'stories (forced colours)', setupFiles, browser: chromium('active') },
      },
    ],
    // 2 cores on our machines and in CI: one browser file at a time per project is plenty.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
