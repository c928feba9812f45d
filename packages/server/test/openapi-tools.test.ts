/**
 * docs/api/openapi.yaml as a city's integration team's own tools read it: Redocly CLI's lint
 * (its `recommended` rules, redocly.yaml at the repository root: 0 errors, 0 warnings) and
 * swagger-parser's validation (the OpenAPI 3.1 schema, every `$ref` resolved — the workflow
 * config schema's own `#/$defs/…` included). Both run offline: Redocly with telemetry off and no
 * update check. Every problem either tool reports is printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { assertValid, at, ROOT, spec, validatorAt } from './openapi.js';

type Obj = Record<string, unknown>;

const SPEC = join(ROOT, 'docs/api/openapi.yaml');
const WORKFLOW_SCHEMA = join(ROOT, 'packages/machine/src/config/workflow.schema.json');

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: Array<{ source?: { ref?: string }; pointer?: string }>;
}

test('redocly lint (recommended rules, redocly.yaml): 0 errors and 0 warnings', () => {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', SPEC, '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 120_000,
    },
  );
  const start = result.stdout.indexOf('{');
  assert.ok(start >= 0, `redocly printed no report (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const report = JSON.parse(result.stdout.slice(start)) as { totals: { errors: number; warnings: number; ignored: number }; problems: RedoclyProblem[] };
  const printed = report.problems.map(
    (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.map((l) => `${l.source?.ref ?? ''}${l.pointer ?? ''}`).join(', ') ?? '?'}`,
  );
  for (const line of printed) console.log(`# ${line}`);
  assert.deepEqual(printed, [], `redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
  assert.equal(report.totals.errors + report.totals.warnings, 0);
  assert.equal(result.status, 0, result.stderr);
  // The exceptions in .redocly.lint-ignore.yaml are the two justified there, no more.
  assert.equal(report.totals.ignored, 2, 'the ignore file holds exactly the two justified exceptions');
});

test('swagger-parser validates the document and resolves every $ref, the workflow schema\'s #/$defs/… included', async () => {
  let api: Obj;
  try {
    api = (await SwaggerParser.validate(SPEC)) as unknown as Obj;
  } catch (error) {
    console.log(`# ${(error as Error).message}`);
    throw error;
  }
  assert.equal(api.openapi, '3.1.0');
  // What swagger-parser resolves for the config schema is the workflow schema file itself…
  const $refs = await SwaggerParser.resolve(SPEC);
  assert.ok($refs.paths().includes(WORKFLOW_SCHEMA), `resolved files: ${$refs.paths().join(', ')}`);
  const workflow = JSON.parse(readFileSync(WORKFLOW_SCHEMA, 'utf8')) as Obj;
  assert.deepEqual($refs.get(`${WORKFLOW_SCHEMA}#/$defs/localizedText`), at(workflow, '$defs', 'localizedText'));
  const dereferenced = (at(api, 'components', 'schemas', 'WorkflowConfig', 'allOf') as Obj[])[0]!;
  assert.equal(dereferenced.$id, workflow.$id, 'WorkflowConfig is the workflow schema');
  assert.equal(at(dereferenced, 'properties', 'title', '$ref'), undefined, 'its #/$defs/… references are resolved');
  // (its own description, a sibling of the $ref, stays beside what the reference brings)
  const withoutDescription = (node: unknown) => ({ ...(node as Obj), description: undefined });
  assert.deepEqual(withoutDescription(at(dereferenced, 'properties', 'title')), withoutDescription(at(workflow, '$defs', 'localizedText')));
});

test('the tests\' own contract helper resolves the same config schema: the example configs pass, a broken one fails on a $defs rule', () => {
  const validator = validatorAt('/components/schemas/WorkflowConfig');
  const config = JSON.parse(readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8')) as Obj;
  assertValid(validator, config, 'wuxi-community.json');
  // `title` is a #/$defs/localizedText: an object of language tags, never a bare number.
  const broken = { ...config, title: 42 };
  const result = validator.validate(broken);
  assert.equal(result.valid, false);
  assert.ok(result.errors.some((e) => e.instanceLocation === '#/title'), JSON.stringify(result.errors.slice(0, 4)));
  assert.deepEqual(at(spec, 'components', 'schemas', 'WorkflowConfig', 'allOf'), [{ $ref: '../../packages/machine/src/config/workflow.schema.json' }]);
});
