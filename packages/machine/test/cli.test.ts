/** The CLI: validate prints every fault with its pointer and exits 1; diagram draws the lifecycle. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { lifecycleDiagram } from '../src/diagram.js';
import { EXAMPLES_DIR, example } from './fixtures.js';

function run(args: string[]): { code: number; out: string } {
  const lines: string[] = [];
  const code = main(args, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

const wuxi = join(EXAMPLES_DIR, 'wuxi-community.json');

describe('consult-kit validate', () => {
  it('accepts the example configs', () => {
    const { code, out } = run(['validate', wuxi, join(EXAMPLES_DIR, 'sichuan-courtyard.json')]);
    assert.equal(code, 0);
    assert.match(out, /✓ .*wuxi-community\.json: wuxi-youshi-haoshangliang v1\.0\.0/);
    assert.match(out, /✓ .*sichuan-courtyard\.json/);
  });

  it('lists every fault with its JSON Pointer and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consult-kit-'));
    const bad = JSON.parse(readFileSync(wuxi, 'utf8'));
    bad.level = 'galaxy';
    bad.steps.find((s: { type: string }) => s.type === 'evaluation').reopenThreshold = 9;
    delete bad.title;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const { code, out } = run(['validate', file, wuxi]);
    assert.equal(code, 1);
    assert.match(out, /✗ .*bad\.json: \d+ error/);
    assert.match(out, /^ {2}\/level {2}\[/m);
    assert.match(out, /^ {2}\/title {2}\[required\]/m);
    assert.match(out, /^ {2}\/steps\/\d+\/reopenThreshold {2}\[/m);
    assert.match(out, /✓ .*wuxi-community\.json/, 'a bad file does not stop the others being checked');
  });

  it('reports a file that is not JSON, or not there, instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consult-kit-'));
    writeFileSync(join(dir, 'broken.json'), '{ "id": ');
    assert.match(run(['validate', join(dir, 'broken.json')]).out, /\[invalid-json\] Not valid JSON/);
    assert.equal(run(['validate', join(dir, 'missing.json')]).code, 1);
    assert.equal(run(['validate']).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });
});

describe('consult-kit diagram', () => {
  it('draws the configured lifecycle as Mermaid, from the machine definition', () => {
    const { code, out } = run(['diagram', wuxi, '--lang', 'en']);
    assert.equal(code, 0);
    assert.match(out, /^stateDiagram-v2$/m);
    assert.match(out, /\[\*\] --> draft/);
    assert.match(out, /screening --> rejected: screening\.reject/);
    assert.match(out, /meeting_inSession_response --> handling: meeting\.record/);
    assert.match(out, /evaluation --> handling: evaluation\.close \[belowThreshold\]/);
    assert.match(out, /closed --> \[\*\]/);
  });

  it('leaves out what the city disabled and uses the city labels', () => {
    const sichuan = lifecycleDiagram(example('sichuan-courtyard'), 'zh-CN');
    assert.doesNotMatch(sichuan, /research/);
    assert.match(sichuan, /accepted --> meeting/);
    const config = example('sichuan-courtyard');
    assert.ok(sichuan.includes(`"${config.step.meeting.agenda[0]!.label?.['zh-CN'] ?? '情况通报'}"`));
    const wuxi = lifecycleDiagram(example('wuxi-community'), 'zh-CN');
    assert.match(wuxi, /accepted --> research/);
  });
});

describe('consult-kit start', () => {
  it('validates and draws every example config', () => {
    const { code, out } = run(['start', EXAMPLES_DIR]);
    assert.equal(code, 0);
    assert.equal(out.match(/```mermaid/g)?.length, 3);
  });
});
