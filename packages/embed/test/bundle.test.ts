/**
 * What the built embed files contain, read as JavaScript (parsed with TypeScript's parser, so
 * strings and comments are not mistaken for code): what a strict CSP and Trusted Types forbid,
 * and what would make the one file load another.
 *
 * - no `eval`, no `Function` constructor, no string passed to setTimeout/setInterval;
 * - self-contained: the classic-script file imports nothing; the module build's entry and chunks
 *   import only each other, by relative paths to files in the folder (so the folder may be served
 *   from anywhere); no worker, no importScripts, no XMLHttpRequest/WebSocket/EventSource/sendBeacon;
 * - no URL it would load: every http(s) URL in the file is one of a few known identifiers (listed
 *   below with what they are), and no `fetch` is called with a literal URL;
 * - HTML from strings only where Lit creates its template element (`template.innerHTML = …`,
 *   fed by Lit's one Trusted Types policy, `lit-html`); no other HTML sink, and none of Lit's
 *   unsafe* directives (which would pass a string of data through that policy).
 *
 * The Chromium side of the same promises is csp.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';
import { EMBED_ESM, EMBED_IIFE } from './chromium.js';

/**
 * The http(s) URLs the embed may contain, none of which it loads:
 * - `https://json-schema.org/draft/2020-12/schema`: the `$schema` identifier inside the workflow
 *   schema the config checker carries;
 * - `https://github.com/cfworker`: @cfworker/json-schema's base URI for resolving `$id`/`$ref`
 *   when there is no page location (it looks schemas up in memory, never fetches);
 * - `https://relative.invalid/`: the base against which safeUrl and the config checker parse a
 *   relative URL to learn its scheme (`.invalid` can never resolve).
 */
/** Identifiers, not addresses: the validator's home, the JSON Schema dialect, the base that resolves relative URLs, the SVG namespace (the poster's download). */
const KNOWN_URLS = ['http://www.w3.org/2000/svg', 'https://github.com/cfworker', 'https://json-schema.org/draft/2020-12/schema', 'https://relative.invalid/'];

/** Calls that turn a string into HTML or a document. */
const HTML_SINK_CALLS = ['insertAdjacentHTML', 'createContextualFragment', 'setHTMLUnsafe', 'parseHTMLUnsafe', 'parseFromString', 'write', 'writeln'];
/** Properties that turn a string into HTML. */
const HTML_SINK_PROPERTIES = ['innerHTML', 'outerHTML', 'srcdoc'];
/** Names whose mere presence means a further load or a second script context. */
const LOADERS = ['importScripts', 'Worker', 'SharedWorker', 'serviceWorker', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'sendBeacon'];

interface Findings {
  evals: string[];
  functionConstructors: string[];
  stringTimers: string[];
  imports: string[];
  loaders: string[];
  urls: string[];
  literalFetches: string[];
  /** What each import statement, re-export or `import()` names (`<not a literal>` when it is computed). */
  specifiers: string[];
  fetches: string[];
  htmlSinks: { what: string; inTemplateFactory: boolean; text: string }[];
  policies: string[];
  /** Lit's directives that render a string as markup (their `directiveName`s survive minifying). */
  unsafeDirectives: string[];
}

function analyse(name: string, text: string): Findings {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: Findings = {
    evals: [],
    functionConstructors: [],
    stringTimers: [],
    imports: [],
    loaders: [],
    urls: [],
    literalFetches: [],
    specifiers: [],
    fetches: [],
    htmlSinks: [],
    policies: [],
    unsafeDirectives: [],
  };
  const snippet = (node: ts.Node): string => node.getText(source).slice(0, 160);
  /** The name a call or `new` calls: `f(…)` → f, `a.b.f(…)` → f. */
  const calleeName = (expression: ts.Expression): string | undefined =>
    ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
  /** A string written in the code: a literal, a template, or a concatenation with one. */
  const isStringy = (node: ts.Node | undefined): boolean =>
    !!node &&
    (ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringy(node.left) || isStringy(node.right))));
  const enclosingFunction = (node: ts.Node): ts.Node | undefined => {
    for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
    return undefined;
  };

  const visit = (node: ts.Node): void => {
    // `eval` as a name (`eval(…)`, `(0, eval)(…)`) or as a property (`window.eval`), counted once.
    if (ts.isIdentifier(node) && node.text === 'eval') found.evals.push(snippet(node.parent));

    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && calleeName(node.expression) === 'Function') {
      found.functionConstructors.push(snippet(node));
    }
    if (ts.isCallExpression(node) && ['setTimeout', 'setInterval'].includes(calleeName(node.expression) ?? '') && isStringy(node.arguments[0])) {
      found.stringTimers.push(snippet(node));
    }

    const literal = (n: ts.Node | undefined): string => (n && ts.isStringLiteralLike(n) ? n.text : '<not a literal>');
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
      found.imports.push(snippet(node));
      found.specifiers.push(ts.isImportDeclaration(node) ? literal(node.moduleSpecifier) : '<not a literal>');
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      found.imports.push(snippet(node));
      found.specifiers.push(literal(node.moduleSpecifier));
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      found.imports.push(snippet(node));
      found.specifiers.push(literal(node.arguments[0]));
    }
    if (ts.isCallExpression(node) && calleeName(node.expression) === 'require') found.imports.push(snippet(node));

    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && LOADERS.includes(node.text)) found.loaders.push(snippet(node.parent));

    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      for (const match of node.text.matchAll(/https?:\/\/[^\s"'`<>()\\]*/g)) found.urls.push(match[0]);
      if (['unsafeHTML', 'unsafeSVG', 'unsafeMathML'].includes(node.text)) found.unsafeDirectives.push(node.text);
    }

    if (ts.isCallExpression(node) && calleeName(node.expression) === 'fetch') {
      found.fetches.push(snippet(node));
      if (isStringy(node.arguments[0])) found.literalFetches.push(snippet(node));
    }

    if (ts.isCallExpression(node) && HTML_SINK_CALLS.includes(calleeName(node.expression) ?? '')) {
      // `write` is also the store's own method (`this.write(…)`); any other receiver may be
      // `document` under a minified name, so it counts.
      const name = calleeName(node.expression)!;
      const ownMethod = ts.isPropertyAccessExpression(node.expression) && node.expression.expression.kind === ts.SyntaxKind.ThisKeyword;
      if (!(['write', 'writeln'].includes(name) && ownMethod)) found.htmlSinks.push({ what: name, inTemplateFactory: false, text: snippet(node) });
    }
    if ((ts.isPropertyAccessExpression(node) && HTML_SINK_PROPERTIES.includes(node.name.text)) || (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression) && HTML_SINK_PROPERTIES.includes(node.argumentExpression.text))) {
      const fn = enclosingFunction(node);
      const what = ts.isPropertyAccessExpression(node) ? node.name.text : (node.argumentExpression as ts.StringLiteral).text;
      found.htmlSinks.push({ what, inTemplateFactory: !!fn && /createElement\("template"\)/.test(fn.getText(source)), text: snippet(fn ?? node) });
    }

    if (ts.isCallExpression(node) && calleeName(node.expression) === 'createPolicy') {
      const name = node.arguments[0];
      found.policies.push(name && ts.isStringLiteral(name) ? name.text : snippet(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the analysis finds each thing it looks for (a control, on code that does all of them)', () => {
  const bad = [
    'import "./other.js";',
    'export { x } from "./x.js";',
    'eval("1"); (0, window.eval)("2"); new Function("return 1"); Function("return 2"); setTimeout("alert(1)", 0);',
    'import("./lazy.js"); importScripts("/w.js"); new Worker("/w.js");',
    'fetch("https://cdn.example.com/fonts.css"); globalThis.fetch(url);',
    'el.innerHTML = s; el.outerHTML = s; el.insertAdjacentHTML("beforeend", s); document.write(s); frame.srcdoc = s;',
    'const d = document; d.writeln(s); this.write(entry);',
    'const t = document.createElement("template"); t.innerHTML = s;',
    'trustedTypes.createPolicy("other", {});',
    'class U {} U.directiveName = "unsafeHTML";',
    'const message = "eval( and new Function( and import( in a string are text";',
  ].join('\n');
  const found = analyse('bad.js', bad);
  assert.equal(found.evals.length, 2);
  assert.equal(found.functionConstructors.length, 2);
  assert.equal(found.stringTimers.length, 1);
  assert.equal(found.imports.length, 3);
  assert.deepEqual(found.loaders.length, 2);
  assert.deepEqual(found.urls, ['https://cdn.example.com/fonts.css']);
  assert.equal(found.literalFetches.length, 1);
  assert.equal(found.fetches.length, 2);
  assert.deepEqual(
    found.htmlSinks.map((s) => s.what),
    ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'srcdoc', 'writeln', 'innerHTML'],
  );
  assert.deepEqual(found.policies, ['other']);
  assert.deepEqual(found.unsafeDirectives, ['unsafeHTML']);
});

/** Every file of a build: the classic script alone; the module entry and every chunk beside it. */
function buildFiles(file: string): string[] {
  if (file === EMBED_IIFE) return [file];
  const chunks = join(dirname(file), 'chunks');
  return [file, ...readdirSync(chunks).filter((f) => f.endsWith('.js')).map((f) => join(chunks, f))];
}

/** The findings of several files together (what one page may load of a build). */
function analyseAll(files: readonly string[]): Findings & { specifiersByFile: Map<string, string[]> } {
  const all = analyse('control.js', '');
  const specifiersByFile = new Map<string, string[]>();
  for (const f of files) {
    const found = analyse(basename(f), readFileSync(f, 'utf8'));
    specifiersByFile.set(f, found.specifiers);
    for (const key of Object.keys(all) as (keyof Findings)[]) (all[key] as unknown[]).push(...(found[key] as unknown[]));
  }
  return { ...all, specifiersByFile };
}

for (const file of [EMBED_ESM, EMBED_IIFE]) {
  describe(`the built ${basename(file)}`, () => {
    const files = buildFiles(file);
    const found = analyseAll(files);

    test('runs under script-src without unsafe-eval: no eval, no Function constructor, no string timers', () => {
      assert.deepEqual(found.evals, []);
      assert.deepEqual(found.functionConstructors, []);
      assert.deepEqual(found.stringTimers, []);
    });

    test('is self-contained: imports only its own files, by relative paths; starts no worker, opens no other channel', () => {
      if (file === EMBED_IIFE) assert.deepEqual(found.imports, []);
      else {
        assert.ok(files.length > 10, `the module build is in parts: ${files.length} files`);
        for (const [from, names] of found.specifiersByFile) {
          for (const name of names) {
            assert.match(name, /^\.\.?\//, `${basename(from)} imports ${name}: only relative paths to the folder's own files`);
            assert.ok(existsSync(join(dirname(from), name)), `${basename(from)} imports ${name}, which is not in the folder`);
          }
        }
      }
      assert.deepEqual(found.loaders, []);
    });

    test('names no URL it would load, and fetches only URLs it is given (the config, the endpoint)', () => {
      assert.deepEqual([...new Set(found.urls)].sort(), KNOWN_URLS, 'only the known identifiers (see KNOWN_URLS)');
      assert.deepEqual(found.literalFetches, []);
      // The config loader, the http transport (the outbox and pulls), the read-model client of
      // the board and the figures (the topic index, /figures), the who-am-I client (/me) and the
      // notification routes' client (opt-in by follow code, /overdue; issue 17): each fetches only
      // the config URL or the endpoint it is given. <consult-sign-in> calls
      // the page's fetch (or the one it is given) through a variable, with its `endpoint`, and
      // oauth4webapi reaches only the issuer that the endpoint's /identity names and the
      // endpoints of that issuer's discovery document.
      // The config loader calls the fetch it is given (the board's) or the page's: two call sites.
      // Issue 20's readers bring it to ten, each on the endpoint it is given: the room page's client
      // (rooms, a room, performance files; the poster and the exports panel read rooms through it),
      // the exports panel's download, the printable records' reads, and the trends read of the
      // store's index client.
      assert.equal(found.fetches.length, 10, `the config loader (twice), the http transport, the index client, the who-am-I client, the notices client and the programme office's readers:\n${found.fetches.join('\n')}`);
    });

    test("turns strings into HTML only in Lit's template factory, through one Trusted Types policy, lit-html", () => {
      assert.deepEqual(
        found.htmlSinks.map((s) => `${s.what}${s.inTemplateFactory ? ' (Lit template factory)' : ''}`),
        ['innerHTML (Lit template factory)'],
        found.htmlSinks.map((s) => s.text).join('\n'),
      );
      assert.deepEqual(found.policies, ['lit-html']);
      assert.deepEqual(found.unsafeDirectives, [], 'no unsafeHTML/unsafeSVG/unsafeMathML, which would pass a string through the lit-html policy');
    });
  });
}
