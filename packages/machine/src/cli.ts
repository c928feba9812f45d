#!/usr/bin/env node
/**
 * consult-kit CLI.
 *   consult-kit validate <file>…          check workflow configs; every fault with its JSON Pointer
 *   consult-kit diagram <file> [--lang en] the configured lifecycle as a Mermaid stateDiagram-v2
 *   consult-kit start [dir]               validate every config in a folder and draw each one
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigError, Locale, WorkflowConfig } from './config/config.types.js';
import { parseWorkflowConfig } from './config/parse-config.js';
import { lifecycleDiagram } from './diagram.js';

const USAGE = `Usage:
  consult-kit validate <file>...          Check workflow configs (exit 1 on any fault)
  consult-kit diagram <file> [--lang en]  Print the lifecycle as a Mermaid stateDiagram-v2
  consult-kit start [dir]                 Validate every *.json in dir and draw each lifecycle
`;

type Loaded = { file: string; ok: true; config: WorkflowConfig } | { file: string; ok: false; errors: ConfigError[] };

/** Reads and checks one config file; a missing file or bad JSON is reported as an error at the root. */
export function loadConfigFile(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { file, ok: false, errors: [{ pointer: '', code: 'unreadable', message: `Cannot read ${file}: ${(err as Error).message}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { file, ok: false, errors: [{ pointer: '', code: 'invalid-json', message: `Not valid JSON: ${(err as Error).message}` }] };
  }
  const result = parseWorkflowConfig(json);
  return result.ok ? { file, ok: true, config: result.config } : { file, ok: false, errors: result.errors };
}

/** One line per fault: pointer, message, expected/got, hint. */
export function formatErrors(file: string, errors: readonly ConfigError[]): string {
  const lines = [`✗ ${file}: ${errors.length} error(s)`];
  for (const e of errors) {
    lines.push(`  ${e.pointer || '/'}  [${e.code}] ${e.message}`);
    if (e.expected !== undefined || e.got !== undefined) {
      lines.push(`      expected ${e.expected ?? '—'}, got ${e.got ?? '—'}`);
    }
    if (e.hint) lines.push(`      hint: ${e.hint}`);
  }
  return lines.join('\n');
}

function summary(file: string, config: WorkflowConfig): string {
  return `✓ ${file}: ${config.id} v${config.version} — ${config.title['zh-CN']} / ${config.title.en} (${config.steps
    .map((s) => s.type)
    .join(' → ')})`;
}

function validate(files: string[], out: (s: string) => void): number {
  if (files.length === 0) {
    out(USAGE);
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const loaded = loadConfigFile(file);
    if (loaded.ok) out(summary(file, loaded.config));
    else {
      failed += 1;
      out(formatErrors(file, loaded.errors));
    }
  }
  return failed > 0 ? 1 : 0;
}

function configFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): number {
  const [command, ...rest] = argv;
  const langAt = rest.indexOf('--lang');
  const lang = (langAt >= 0 ? rest[langAt + 1] : undefined) as Locale | undefined;
  if (langAt >= 0) rest.splice(langAt, 2);
  if (lang !== undefined && lang !== 'zh-CN' && lang !== 'en') {
    out('--lang must be zh-CN or en');
    return 2;
  }
  switch (command) {
    case 'validate':
      return validate(rest, out);
    case 'diagram': {
      if (rest.length !== 1) {
        out(USAGE);
        return 2;
      }
      const loaded = loadConfigFile(rest[0]!);
      if (!loaded.ok) {
        out(formatErrors(rest[0]!, loaded.errors));
        return 1;
      }
      out(lifecycleDiagram(loaded.config, lang ?? loaded.config.defaultLocale));
      return 0;
    }
    case 'start': {
      const dir = rest[0] ?? 'examples/configs';
      const files = configFiles(dir);
      out(`consult-kit: ${files.length} workflow config(s) in ${dir}\n`);
      const code = validate(files, out);
      for (const file of files) {
        const loaded = loadConfigFile(file);
        if (!loaded.ok) continue;
        out(`\n## ${loaded.config.title['zh-CN']} · ${loaded.config.title.en} (${file})\n`);
        out('```mermaid');
        out(lifecycleDiagram(loaded.config, lang ?? loaded.config.defaultLocale).trimEnd());
        out('```');
      }
      out('\nPaste a diagram into any Mermaid viewer to see it; `consult-kit diagram <file> --lang en` draws one in English.');
      return code;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      out(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

/**
 * Runs the CLI as a command: `consult-kit diagram x.json | head` closes the pipe early, which is
 * not an error; the exit code is `main`'s. The committed bin (`bin/consult-kit.js`, which npm links
 * at install time, before anything is built) calls this from the build.
 */
export function runCli(argv: string[]): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = main(argv);
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) runCli(process.argv.slice(2));
