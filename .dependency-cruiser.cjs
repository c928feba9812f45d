/* global module */
/**
 * Import rules `npm run lint` enforces (dependency-cruiser): no import circles anywhere in the
 * packages' sources. A circle makes load order matter and keeps a capability from being moved
 * or removed on its own; the server is laid out so that `app.ts` imports its capabilities and
 * nothing imports `app.ts` back (packages/server/src/http/ holds what they share).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: split the shared part into its own module (for the server: src/http/).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-routes-not-app',
      severity: 'error',
      comment: "A capability imports the server's shared modules (src/http/), never app.ts.",
      from: { path: '^packages/server/src/(?!app\\.ts$|server\\.ts$|index\\.ts$|cli\\.ts$)' },
      to: { path: '^packages/server/src/app\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
