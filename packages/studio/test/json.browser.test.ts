/**
 * The JSON pane in Chromium: typing goes to the document and to another pane, a change elsewhere
 * comes back into the text, one undo history across panes, a syntax error keeps the document and
 * says line:column, the checker's faults marked at their nodes, completion from the schema,
 * focusPointer, the way out for keyboard users, a strict CSP page, and axe in both languages.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { currentCompletions, startCompletion } from '@codemirror/autocomplete';
import { forEachDiagnostic } from '@codemirror/lint';
import { EditorSelection } from '@codemirror/state';
import { StudioDocument } from '../src/document.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { StudioElement } from '../src/studio-element.js';
import '../src/json/consult-studio-json.js';
import type { ConsultStudioJson } from '../src/json/json.component.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { html, type TemplateResult } from 'lit';

const raw = async (): Promise<JsonObject> => (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;

/** A minimal other pane: shows the config's title, as any visual pane would. */
class TitlePane extends StudioElement {
  override render(): TemplateResult {
    return html`<p>${String(this.doc?.get('/title/zh-CN') ?? '')}</p>`;
  }
}
customElements.define('test-title-pane', TitlePane);

const mounted: HTMLElement[] = [];

async function mount(doc: StudioDocument, lang = 'zh-CN'): Promise<ConsultStudioJson> {
  const el = document.createElement('consult-studio-json');
  el.lang = lang;
  el.doc = doc;
  el.style.height = '480px';
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 0));
  return el;
}

const text = (el: ConsultStudioJson) => el.editor!.state.doc.toString();
const content = (el: ConsultStudioJson) => el.shadowRoot!.querySelector<HTMLElement>('.cm-content')!;
const status = (el: ConsultStudioJson) => el.shadowRoot!.querySelector('[part=status]')!.textContent!.trim();

/** Puts the cursor at an offset and focuses the editor, as a click would. */
function cursorAt(el: ConsultStudioJson, offset: number): void {
  el.editor!.dispatch({ selection: EditorSelection.cursor(offset) });
  el.editor!.focus();
}

const diagnostics = (el: ConsultStudioJson) => {
  const out: Array<{ from: number; to: number; message: string; source?: string }> = [];
  forEachDiagnostic(el.editor!.state, (d, from, to) => out.push({ from, to, message: d.message, ...(d.source ? { source: d.source } : {}) }));
  return out;
};

const settle = () => new Promise((r) => setTimeout(r, 20));

afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

describe('<consult-studio-json>', () => {
  it('shows the document as its canonical text, with line numbers, an accessible name and the way out in its description', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    expect(text(el)).to.equal(doc.text());
    expect(el.shadowRoot!.querySelectorAll('.cm-lineNumbers .cm-gutterElement').length).to.be.greaterThan(5);
    expect(content(el).getAttribute('aria-label')).to.equal('JSON 配置编辑器');
    const described = content(el).getAttribute('aria-describedby')!.split(' ').map((id) => el.shadowRoot!.getElementById(id)!.textContent);
    expect(described.join(' ')).to.match(/先按 Esc 再按 Tab/);
    expect(status(el)).to.equal('JSON 格式正确，检查未发现问题。');
    // A visible focus ring on the editor while it has the focus.
    const editor = el.shadowRoot!.querySelector('.cm-editor')!;
    expect(getComputedStyle(editor).outlineStyle).to.equal('none');
    cursorAt(el, 0);
    await new Promise((r) => setTimeout(r, 50)); // CodeMirror marks the focus on its next update
    expect(editor.classList.contains('cm-focused')).to.equal(true);
    expect(getComputedStyle(editor).outlineWidth).to.equal('3px');
    expect(getComputedStyle(editor).outlineStyle).to.equal('solid');
  });

  it('typing in the text changes the document (one undo step) and another pane shows it', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    const other = document.createElement('test-title-pane') as TitlePane;
    other.doc = doc;
    document.body.append(other);
    mounted.push(other);
    const range = el.rangeOf('/title/zh-CN')!;
    cursorAt(el, range.to - 1); // before the closing quote
    await sendKeys({ type: '（试点）' });
    expect(doc.get('/title/zh-CN')).to.equal('有事好商量·社区协商议事室（试点）');
    await other.updateComplete;
    expect(other.shadowRoot!.textContent).to.contain('社区协商议事室（试点）');
    // Typing is one undo step.
    doc.undo();
    expect(doc.get('/title/zh-CN')).to.equal('有事好商量·社区协商议事室');
  });

  it('a change made elsewhere (doc.set) appears in the text, and the cursor stays on its line', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    const versionAt = el.rangeOf('/version')!;
    cursorAt(el, versionAt.from);
    const lineBefore = el.editor!.state.doc.lineAt(el.editor!.state.selection.main.head).number;
    doc.set('/title/en', 'Talk It Over');
    expect(text(el)).to.equal(doc.text());
    expect(text(el)).to.contain('"en": "Talk It Over"');
    expect(el.editor!.state.doc.lineAt(el.editor!.state.selection.main.head).number).to.equal(lineBefore);
  });

  it('Ctrl+Z in the editor undoes an edit made in another pane, and Ctrl+Shift+Z / Ctrl+Y redo it', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    doc.set('/form/pages/0/fields/0/label/en', 'Subject');
    cursorAt(el, 0);
    await sendKeys({ press: 'Control+z' });
    expect(doc.get('/form/pages/0/fields/0/label/en')).to.equal('Topic');
    expect(text(el)).to.equal(doc.text());
    await sendKeys({ press: 'Control+Shift+KeyZ' });
    expect(doc.get('/form/pages/0/fields/0/label/en')).to.equal('Subject');
    await sendKeys({ press: 'Control+z' });
    await sendKeys({ press: 'Control+y' });
    expect(doc.get('/form/pages/0/fields/0/label/en')).to.equal('Subject');
    expect(text(el)).to.contain('"en": "Subject"');
  });

  it('doc.undo() from another pane undoes what was typed in the editor', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    cursorAt(el, el.rangeOf('/version')!.to - 1);
    await sendKeys({ type: '-beta' });
    expect(doc.get('/version')).to.equal('1.0.0-beta');
    doc.undo();
    expect(doc.get('/version')).to.equal('1.0.0');
    expect(text(el)).to.contain('"version": "1.0.0",');
    doc.redo();
    expect(text(el)).to.contain('"version": "1.0.0-beta",');
  });

  it('text that is not JSON keeps the document as it was, says line:column and why, and loses nothing', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc, 'en');
    const before = doc.value;
    const revision = doc.revision;
    const at = el.rangeOf('/version')!.to; // after "1.0.0"
    cursorAt(el, at);
    await sendKeys({ press: 'Backspace' }); // drop the closing quote: the string runs on
    expect(doc.value).to.equal(before);
    expect(doc.revision).to.equal(revision);
    const line = el.editor!.state.doc.lineAt(at).number;
    await el.updateComplete;
    expect(status(el)).to.match(new RegExp(`^Line ${line}, column \\d+: `));
    expect(status(el)).to.contain('the string has no closing double quote');
    await settle();
    const syntax = diagnostics(el);
    expect(syntax).to.have.length(1);
    expect(syntax[0]!.message).to.match(new RegExp(`^${line}:\\d+ `));
    // What was typed is still there; putting the quote back makes it JSON again.
    expect(text(el)).to.contain('"version": "1.0.0,');
    await sendKeys({ type: '"' });
    expect(el.syntaxProblem).to.equal(undefined);
    expect(doc.revision).to.equal(revision); // the same value: no change, no undo step
    await el.updateComplete;
    expect(status(el)).to.equal('Valid JSON; the checker found no problems.');
  });

  it('in zh-CN the syntax error reads 第 N 行第 M 列', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    cursorAt(el, el.rangeOf('/version')!.to);
    await sendKeys({ type: 'x' });
    await el.updateComplete;
    expect(status(el)).to.match(/^第 \d+ 行第 \d+ 列：此处应为逗号 , 或右花括号 }/);
  });

  it('marks each of 50 checker faults at its node, and a missing property at its parent', async () => {
    const config = await raw();
    const fields = ((config.form as JsonObject).pages as JsonObject[])[0]!.fields as Json[];
    for (let i = 0; i < 50; i += 1) fields.push({ name: `extra${i}`, type: 'text', label: { 'zh-CN': '', en: `Extra ${i}` } });
    const doc = new StudioDocument(config);
    expect(doc.errors).to.have.length(50);
    const el = await mount(doc, 'en');
    await settle();
    const found = diagnostics(el);
    expect(found).to.have.length(50);
    const t = text(el);
    for (const d of found) expect(t.slice(d.from, d.to)).to.equal('""');
    expect(found[0]!.source).to.contain('/form/pages/0/fields/6/label/zh-CN');
    expect(status(el)).to.contain('50 problem');

    // A missing label: the field's object is marked at its opening brace.
    doc.remove('/form/pages/0/fields/0/label');
    await settle();
    const missing = diagnostics(el).find((d) => d.source?.endsWith('/form/pages/0/fields/0/label'))!;
    expect(t.length).to.be.greaterThan(0);
    expect(text(el).slice(missing.from, missing.to)).to.equal('{');
    expect(missing.message).to.contain('Hint: Add "label"');
    expect(el.editor!.state.doc.lineAt(missing.from).text).to.match(/^\s*\{$/);
    expect(text(el).slice(missing.from, missing.from + 40)).to.match(/^\{\s*"name": "title"/);
  });

  it('completion offers the properties a meeting step does not have yet, with their descriptions', async () => {
    const config = await raw();
    (config.steps as Json[]).splice(3, 1, { type: 'meeting' });
    const doc = new StudioDocument(config);
    const el = await mount(doc, 'en');
    const step = el.rangeOf('/steps/3')!;
    // Inside the object, after its last property: a new line where a key goes.
    const insideEnd = step.to - 1;
    el.editor!.dispatch({ changes: { from: insideEnd, insert: ',\n"' }, selection: EditorSelection.cursor(insideEnd + 3) });
    el.editor!.focus();
    startCompletion(el.editor!);
    await new Promise((r) => setTimeout(r, 100));
    const labels = currentCompletions(el.editor!.state).map((c) => c.label);
    expect(labels).to.include.members(['"label"', '"formats"', '"agenda"', '"fiveHaves"', '"conveners"', '"maxRounds"']);
    const agenda = currentCompletions(el.editor!.state).find((c) => c.label === '"agenda"')!;
    expect(agenda.apply).to.equal('"agenda": ');
    expect(labels).not.to.include('"type"');
    // The intake step's properties are not offered for a meeting.
    expect(labels).not.to.include('"sources"');
  });

  it('completion offers the allowed values after a colon (a field type)', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc, 'en');
    const type = el.rangeOf('/form/pages/0/fields/0/type')!;
    el.editor!.dispatch({ changes: { from: type.from, to: type.to, insert: '"' }, selection: EditorSelection.cursor(type.from + 1) });
    el.editor!.focus();
    startCompletion(el.editor!);
    await new Promise((r) => setTimeout(r, 100));
    const labels = currentCompletions(el.editor!.state).map((c) => c.label);
    expect(labels).to.include.members(['"text"', '"textarea"', '"select"', '"consent"']);
  });

  it('focusPointer selects the node, scrolls it into view and focuses the editor', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    expect(await el.focusPointer('/form/pages/1/fields/0/label/en')).to.equal(true);
    const { from, to } = el.editor!.state.selection.main;
    expect(text(el).slice(from, to)).to.equal(JSON.stringify(doc.get('/form/pages/1/fields/0/label/en')));
    expect(el.shadowRoot!.activeElement).to.equal(content(el));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const line = el.editor!.coordsAtPos(from)!;
    const box = el.shadowRoot!.querySelector('.cm-scroller')!.getBoundingClientRect();
    expect(line.top).to.be.within(box.top, box.bottom);
    expect(await el.focusPointer('/no/such/thing')).to.equal(true); // resolves to the nearest node that exists
    expect(await el.focusPointer('not a pointer')).to.equal(false);
  });

  it('keyboard: Tab indents inside the editor; Esc then Tab leaves it', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    const after = document.createElement('button');
    after.textContent = 'after';
    document.body.append(after);
    mounted.push(after);
    cursorAt(el, 0);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(content(el));
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).not.to.equal(content(el));
  });

  it('under a strict CSP (no inline styles or scripts) the editor is styled: CodeMirror’s styles arrive as adopted stylesheets', async () => {
    const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'";
    const page = `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="${csp}">
      <script type="module" src="${location.origin}/packages/studio/src/json/consult-studio-json.ts"></script></head><body></body></html>`;
    const url = URL.createObjectURL(new Blob([page], { type: 'text/html' }));
    const frame = document.createElement('iframe');
    frame.title = 'strict CSP page';
    frame.style.width = '800px';
    frame.style.height = '600px';
    mounted.push(frame);
    await new Promise<void>((resolve) => {
      frame.addEventListener('load', () => resolve(), { once: true });
      frame.src = url;
      document.body.append(frame);
    });
    const win = frame.contentWindow as Window & typeof globalThis;
    const violations: string[] = [];
    win.document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    await win.customElements.whenDefined('consult-studio-json');
    const el = win.document.createElement('consult-studio-json') as ConsultStudioJson;
    el.doc = new StudioDocument(await raw());
    win.document.body.append(el);
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    const editor = el.shadowRoot!.querySelector('.cm-editor')!;
    const gutters = el.shadowRoot!.querySelector('.cm-gutters')!;
    expect(win.getComputedStyle(editor).display).to.equal('flex'); // CodeMirror's base theme
    expect(win.getComputedStyle(gutters).display).to.equal('flex');
    expect(win.getComputedStyle(el.shadowRoot!.querySelector('.cm-scroller')!).fontFamily).to.match(/monospace/);
    expect(win.getComputedStyle(editor).borderTopWidth).to.equal('2px'); // the pane's theme
    expect(el.shadowRoot!.querySelector('style')).to.equal(null);
    expect(violations).to.deep.equal([]);
    // The policy is in force: an inline <style> is refused.
    const inline = win.document.createElement('style');
    inline.textContent = 'body { margin: 77px; }';
    win.document.head.append(inline);
    await new Promise((r) => setTimeout(r, 50));
    expect(win.getComputedStyle(win.document.body).marginTop).not.to.equal('77px');
    expect(violations.some((v) => v.startsWith('style-src'))).to.equal(true);
    URL.revokeObjectURL(url);
  });

  it('has no axe violations in zh-CN and en, with a syntax error shown', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const doc = new StudioDocument(await raw());
      const el = await mount(doc, lang);
      await expectAccessible(el, `json pane (${lang})`);
      cursorAt(el, 1);
      await sendKeys({ type: '}' });
      await el.updateComplete;
      await expectAccessible(el, `json pane with a syntax error (${lang})`);
      el.remove();
    }
  });
});
