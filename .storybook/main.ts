/**
 * Storybook 10 for consult-kit (ESM only). Stories live in the top-level `stories/` and import the
 * elements from `packages/elements/src` (TypeScript through Vite, so a change to a component shows
 * at once); the machine and the store come in as their built `dist/` through the workspace links.
 * Telemetry is off and nothing is fetched from the network, so `storybook dev` and
 * `storybook build` work offline.
 */
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  async viteFinal(viteConfig) {
    return {
      ...viteConfig,
      // The elements are plain Lit (no decorators); es2022 keeps class fields as the platform has them.
      build: { ...viteConfig.build, target: 'es2022', chunkSizeWarningLimit: 4000 },
      esbuild: { ...(typeof viteConfig.esbuild === 'object' ? viteConfig.esbuild : {}), target: 'es2022' },
      optimizeDeps: {
        ...viteConfig.optimizeDeps,
        // Pre-bundled together up front, so Lit is one copy (no re-optimising mid-run, when a copy
        // bundled earlier into Storybook's own chunk and a later one would both load).
        include: [
          ...(viteConfig.optimizeDeps?.include ?? []),
          'lit',
          'lit/directive-helpers.js',
          'lit/directives/if-defined.js',
          'lit/directives/keyed.js',
          'lit/directives/repeat.js',
          '@lit/context',
          'idb',
          'xstate',
          // The studio's editor and diagram (stories/studio-*.stories.ts): found late, they were
          // optimised mid-run and the reload broke the story file that was importing them.
          'lit/directives/guard.js',
          '@codemirror/autocomplete',
          '@codemirror/commands',
          '@codemirror/lang-json',
          '@codemirror/language',
          '@codemirror/lint',
          '@codemirror/state',
          '@codemirror/view',
          '@lezer/common',
          '@dagrejs/dagre',
        ],
        esbuildOptions: { ...viteConfig.optimizeDeps?.esbuildOptions, target: 'es2022' },
      },
    };
  },
};

export default config;
