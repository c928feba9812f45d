// `npm run analyze` (part of `npm run build`): custom-elements.json for @consult-kit/elements, from
// the JSDoc on each component. Storybook's controls and docs and editors read it.

/** `dispatchEvent(new ConsultErrorEvent(…))` has no literal name; the class's `@event` JSDoc names it. */
const dropUnnamedEvents = {
  name: 'consult-kit/drop-unnamed-events',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      for (const declaration of mod.declarations ?? []) {
        if (declaration.events) declaration.events = declaration.events.filter((e) => e.name);
      }
    }
  },
};

export default {
  globs: ['packages/elements/src/**/*.component.ts', 'packages/elements/src/base/*.ts', 'packages/elements/src/events/*.ts'],
  exclude: ['**/*.test.ts'],
  outdir: 'packages/elements',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [dropUnnamedEvents],
};
