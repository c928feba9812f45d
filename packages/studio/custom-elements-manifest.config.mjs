// The second half of `npm run analyze`: custom-elements.json for @consult-kit/studio (the shell and
// its panes), from the JSDoc on each component. Storybook merges it with the elements' manifest.
export default {
  globs: ['packages/studio/src/**/*.component.ts', 'packages/studio/src/studio-element.ts'],
  exclude: ['**/*.test.ts'],
  outdir: 'packages/studio',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
