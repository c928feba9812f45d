/**
 * The example portal as `npm start` serves it, for the tests that drive it in Chromium: the
 * reference server on PGlite with Guangshui's programme, the demo tokens, `examples/portal` at `/`
 * and the built embed folder at `/assets/`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTokens } from '../../server/src/authn.js';
import type { Db } from '../../server/src/db/db.js';
import { addProgramme, DATABASES, serve, type TestServer } from '../../server/test/helpers.js';
import { EMBED_ESM, ROOT } from './chromium.js';

export const PORTAL = join(ROOT, 'examples/portal');
export const DEMO_TOKENS = readFileSync(join(PORTAL, 'demo-tokens.json'), 'utf8');

/** Starts it; `close()` stops the server and closes the database. */
export async function servePortal(): Promise<{ db: Db; server: TestServer; close: () => Promise<void> }> {
  const db = await DATABASES[0]!.open();
  await addProgramme(db, 'guangshui-frontline.json');
  const server = await serve(db, {
    tokens: parseTokens(JSON.parse(DEMO_TOKENS), 'examples/portal/demo-tokens.json'),
    portalDir: PORTAL,
    assetsDir: join(EMBED_ESM, '..'),
  });
  return {
    db,
    server,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}
