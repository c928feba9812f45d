/**
 * The README's commands, as a newcomer runs them: a fresh clone of this repository, `npm ci`,
 * `npm start` (the example portal comes up), then `npx consult-kit validate` and `diagram` (and
 * `npx consult-kit-server --help`). npm links a package's bins at install time, before anything
 * is built; the bins are committed files that load the build, so they exist right after `npm ci`
 * and say clearly that the build is missing until `npm start` (or `npm run build`) made it.
 *
 * The commands are read from README.md, so the document cannot drift from what is tested. The
 * clone is of the committed HEAD (what CI checks out). `npm ci` runs with `--prefer-offline`:
 * the packages come from npm's cache, which the outer `npm ci` has just filled.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The shell lines of the README's ```sh blocks, comments cut off. */
function readmeCommands(): string[] {
  const lines: string[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command) lines.push(command);
    }
  }
  return lines;
}

/** Why this cannot run here, or undefined. */
function reasonToSkip(): string | undefined {
  if (spawnSync('git', ['--version']).status !== 0) return 'git is not installed';
  if (spawnSync('git', ['-C', ROOT, 'rev-parse', '--is-inside-work-tree']).status !== 0) return `${ROOT} is not a git checkout`;
  return undefined;
}

/** The environment of a newcomer's shell: none of the outer npm run's npm_* variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_') && key !== 'INIT_CWD') env[key] = value;
  return { ...env, ...extra };
}

const skip = reasonToSkip();
if (skip) console.log(`README commands in a fresh clone: SKIPPED — ${skip}.`);

describe('the README commands in a fresh clone', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'consult-kit-clone-'));
  const clone = join(work, 'consult-kit');
  const commands = readmeCommands();
  let validate = '';
  let diagram = '';

  /** Runs one shell command in the clone, as the README writes it. */
  const sh = (command: string, timeoutMs = 120_000): SpawnSyncReturns<string> =>
    spawnSync('sh', ['-c', command], { cwd: clone, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs });

  before(() => {
    validate = commands.find((c) => c.startsWith('npx consult-kit validate ')) ?? '';
    diagram = commands.find((c) => c.startsWith('npx consult-kit diagram ')) ?? '';
    const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { encoding: 'utf8' });
    assert.equal(cloned.status, 0, cloned.stderr);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('shows the quick start and the engine commands', () => {
    assert.ok(commands.includes('npm ci && npm start'), 'the README starts with npm ci && npm start');
    assert.ok(commands.includes('npm test'), 'the README shows npm test');
    assert.match(validate, /^npx consult-kit validate \S+\.json$/);
    assert.match(diagram, /^npx consult-kit diagram \S+\.json --lang en$/);
  });

  it('npm ci links the commands; before the build they say what to do', { timeout: 15 * 60_000 }, () => {
    const installed = sh('npm ci --prefer-offline --no-audit --no-fund', 14 * 60_000);
    assert.equal(installed.status, 0, `npm ci failed:\n${installed.stderr.slice(-4000)}`);
    assert.ok(existsSync(join(clone, 'node_modules/.bin/consult-kit')), 'npm ci links consult-kit');
    assert.ok(existsSync(join(clone, 'node_modules/.bin/consult-kit-server')), 'npm ci links consult-kit-server');
    const early = sh(validate.replace(/\S+\.json$/, 'examples/configs/wuxi-community.json'));
    assert.equal(early.status, 1);
    assert.match(early.stderr, /consult-kit: the CLI is not built yet\. Run `npm run build` \(or `npm start`\)/);
  });

  it('npm start builds and serves the example portal; stopped with Ctrl-C', { timeout: 10 * 60_000 }, async () => {
    // PORT=0: any free port, so the test never collides with a server already on 8080.
    const child = spawn('sh', ['-c', 'npm start'], { cwd: clone, env: cleanEnv({ PORT: '0' }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const found = /consult-kit server on (http:\/\/\S+?)\/ /.exec(output);
          if (found) resolve(found[1]!);
        };
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${output.slice(-4000)}`)));
      });
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<consult-|consult-kit/);
      const { programmes } = (await (await fetch(`${url}/api/programmes`)).json()) as { programmes: Array<{ id: string }> };
      const examples = readdirSync(join(clone, 'examples/configs')).filter((f) => f.endsWith('.json'));
      const ids = examples.map((f) => (JSON.parse(readFileSync(join(clone, 'examples/configs', f), 'utf8')) as { id: string }).id);
      assert.ok(ids.length >= 3);
      assert.deepEqual(programmes.map((p) => p.id).sort(), ids.sort(), 'every example programme is seeded');
    } finally {
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
    assert.ok(existsSync(join(clone, 'packages/machine/dist/cli.js')), 'npm start built the CLI');
  });

  it('npx consult-kit validate and diagram run, as the README shows them', () => {
    const good = sh(validate.replace(/\S+\.json$/, 'examples/configs/wuxi-community.json'));
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /✓ .*wuxi-community\.json/);

    const broken = JSON.parse(readFileSync(join(clone, 'examples/configs/wuxi-community.json'), 'utf8'));
    broken.level = 'galaxy';
    writeFileSync(join(clone, 'my-city.json'), JSON.stringify(broken));
    const bad = sh(validate);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /✗ .*my-city\.json: \d+ error/);
    assert.match(bad.stdout, /^ {2}\/level {2}\[/m);

    const drawn = sh(diagram.replace(/\S+\.json/, 'examples/configs/wuxi-community.json'));
    assert.equal(drawn.status, 0, drawn.stderr);
    assert.match(drawn.stdout, /^stateDiagram-v2/);

    const help = sh('npx consult-kit-server --help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--port <n>/);
  });
});
