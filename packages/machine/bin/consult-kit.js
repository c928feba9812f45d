#!/usr/bin/env node
// `consult-kit` as npm links it: this file is committed, so the link exists right after `npm ci`,
// and it runs the CLI from the build (`npm run build`; `npm start` and `npm test` build first).
// Before the build there is nothing to run: it says so and exits 1.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('consult-kit: the CLI is not built yet. Run `npm run build` (or `npm start`) in the repository first.\n');
  process.exit(1);
}
const { runCli } = await import(cli.href);
runCli(process.argv.slice(2));
