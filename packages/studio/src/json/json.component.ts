import { css, html } from 'lit';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { json, jsonLanguage } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, ensureSyntaxTree, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorSelection, EditorState, Prec, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type ViewUpdate,
} from '@codemirror/view';
import type { Tree } from '@lezer/common';
import type { ChangeDetail, StudioDocument } from '../document.js';
import { jsonEqual, parsePointer } from '../pointer.js';
import { StudioElement } from '../studio-element.js';
import { studioStyles } from '../styles.js';
import { schemaCompletions } from './json-complete.js';
import { readJson, type SyntaxProblem } from './json-syntax.js';
import { locate } from './json-tree.js';
import { jsonMessages } from './json.messages.js';

/** Marks the editor transactions that mirror the document (not typed by the person). */
const fromDocument = Annotation.define<boolean>();

/** Where a pointer's node is in the editor's text. */
export interface PointerRange {
  from: number;
  to: number;
  /** False when the node is missing and the range is its parent's. */
  exact: boolean;
}

/** The smallest change that turns `before` into `after` (the cursor outside it stays where it was). */
function minimalChange(before: string, after: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end += 1;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

const editorTheme = EditorView.theme({
  '&': {
    border: '2px solid var(--studio-line, #8a8a8a)',
    borderRadius: '4px',
    backgroundColor: 'var(--studio-bg, #fff)',
    color: 'var(--studio-text, #1b1b1b)',
    fontSize: '14px',
    height: '100%',
    minHeight: '16rem',
  },
  '&.cm-focused': {
    outline: '3px solid var(--studio-focus, #ffbf47)',
    outlineOffset: '2px',
    boxShadow: '0 0 0 5px var(--studio-text, #1b1b1b)',
  },
  '.cm-scroller': {
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace",
    lineHeight: '1.5',
  },
  '.cm-gutters': {
    backgroundColor: 'var(--studio-panel, #f3f4f6)',
    color: 'var(--studio-muted, #505050)',
    borderRight: '1px solid var(--studio-line, #8a8a8a)',
  },
  '.cm-activeLine': { backgroundColor: 'rgba(11, 92, 173, 0.06)' },
  '.cm-activeLineGutter': { backgroundColor: 'rgba(11, 92, 173, 0.12)', color: 'var(--studio-text, #1b1b1b)' },
  '.cm-diagnostic': { whiteSpace: 'pre-wrap' },
  '.cm-tooltip': { maxWidth: '32rem' },
  '.cm-completionInfo': { whiteSpace: 'pre-wrap' },
});

/**
 * @summary The studio's JSON pane: the whole config as text in a CodeMirror 6 editor, in step with
 * the other panes both ways, linted by the machine's own checker (each fault marked at its node),
 * completing property names and values from the workflow schema, and sharing the document's one
 * undo history (Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo edits made in any pane).
 *
 * While the text is not valid JSON the document keeps its last value, the other panes are not
 * disturbed, and the pane says where the text stops being JSON (line and column) and why.
 *
 * Keyboard: Tab indents; Esc then Tab (or Shift+Tab) leaves the editor (said in the pane's help
 * text, which is the editor's description); Ctrl+Space completes; F8 goes to the next problem.
 *
 * @tag consult-studio-json
 *
 * @attr lang - Language of the pane: `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 *
 * @csspart base - The pane's wrapper.
 * @csspart help - The help text (how to leave the editor, undo, complete).
 * @csspart editor - The box holding the editor.
 * @csspart status - The line under the editor: the syntax error, or how many problems the checker found.
 */
export class ConsultStudioJson extends StudioElement {
  static override styles = [
    studioStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 20rem;
      }
      .pane {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        flex: 1;
        min-height: 0;
      }
      .help {
        margin: 0;
        font-size: 0.875rem;
      }
      .editor {
        flex: 1;
        min-height: 16rem;
        display: flex;
        flex-direction: column;
      }
      .editor > .cm-editor {
        flex: 1;
      }
      .status {
        margin: 0;
        padding: 0.25rem 0.5rem;
        border-left: 6px solid var(--studio-line);
      }
      .status.error {
        border-left-color: var(--studio-error);
        color: var(--studio-error);
      }
      @media (forced-colors: active) {
        .status.error {
          border-left-color: CanvasText;
          color: CanvasText;
        }
      }
    `,
  ];

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  #view: EditorView | undefined;
  /** The document the editor's text mirrors now. */
  #shown: StudioDocument | undefined;
  /** Why the text is not JSON, while it is not. */
  #problem: SyntaxProblem | undefined;
  #attributes = new Compartment();
  #shownLocale: string | undefined;
  #diagnosticsQueued = false;

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  /** The CodeMirror view (for hosts and tests that need its state; undefined before the first render). */
  get editor(): EditorView | undefined {
    return this.#view;
  }

  /** The syntax problem of the text, while it is not valid JSON. */
  get syntaxProblem(): SyntaxProblem | undefined {
    return this.#problem;
  }

  override render() {
    const count = this.doc?.errors.length ?? 0;
    const p = this.#problem;
    const status = p
      ? this.msg(jsonMessages, 'syntax', { line: p.line, column: p.column, message: this.msg(jsonMessages, `fault.${p.fault}`) })
      : count > 0
        ? this.msg(jsonMessages, 'problems', { count })
        : this.msg(jsonMessages, 'valid');
    return html`<div class="pane" part="base">
      <p id="help" class="help muted" part="help">${this.msg(jsonMessages, 'help')}</p>
      <div class="editor" part="editor"></div>
      <p id="status" class=${p ? 'status error' : 'status'} part="status">${status}</p>
    </div>`;
  }

  protected override firstUpdated(): void {
    const parent = this.renderRoot.querySelector<HTMLElement>('.editor')!;
    this.#shown = this.doc;
    this.#view = new EditorView({
      parent,
      root: this.shadowRoot ?? document,
      state: EditorState.create({ doc: this.doc?.text() ?? '', extensions: this.#extensions() }),
    });
    this.#shownLocale = this.locale;
    this.#queueDiagnostics();
  }

  protected override updated(): void {
    const view = this.#view;
    if (!view) return;
    if (this.#shownLocale !== this.locale) {
      this.#shownLocale = this.locale;
      view.dispatch({ effects: this.#attributes.reconfigure(this.#contentAttributes()) });
    }
    if (this.#shown !== this.doc) {
      this.#shown = this.doc;
      this.#mirror(true);
    }
  }

  protected override documentChanged(detail: ChangeDetail): void {
    super.documentChanged(detail);
    if (!this.#view || this.#shown !== this.doc) return;
    // The pane's own edits are in the text already; only their diagnostics change.
    if (detail.origin === 'json') this.#queueDiagnostics();
    else this.#mirror(false);
  }

  #contentAttributes(): Extension {
    return EditorView.contentAttributes.of({
      'aria-label': this.msg(jsonMessages, 'label'),
      'aria-describedby': 'help status',
      // A contenteditable is focusable already; the explicit tabindex tells checkers such as axe
      // that the scrolling box holds focusable content.
      tabindex: '0',
    });
  }

  #extensions(): Extension[] {
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      highlightActiveLine(),
      json(),
      lintGutter(),
      autocompletion({
        override: [(context) => schemaCompletions(context, { required: this.msg(jsonMessages, 'required') })],
        icons: false,
      }),
      // One history for every pane: the document's. No CodeMirror history at all.
      Prec.highest(
        keymap.of([
          { key: 'Mod-z', run: () => this.#undo(), preventDefault: true },
          { key: 'Mod-Shift-z', run: () => this.#redo(), preventDefault: true },
          { key: 'Mod-y', run: () => this.#redo(), preventDefault: true },
        ]),
      ),
      keymap.of([...completionKeymap, ...lintKeymap, indentWithTab, ...defaultKeymap]),
      EditorState.tabSize.of(2),
      this.#attributes.of(this.#contentAttributes()),
      editorTheme,
      EditorView.updateListener.of((update) => this.#edited(update)),
    ];
  }

  #undo(): boolean {
    const doc = this.doc;
    if (!doc) return true;
    // Text that is not JSON yet is the newest edit: undo drops it first.
    if (this.#problem) this.#mirror(true);
    else doc.undo();
    return true;
  }

  #redo(): boolean {
    this.doc?.redo();
    return true;
  }

  /** The person edited the text: a value that parses goes to the document; one that does not is only reported. */
  #edited(update: ViewUpdate): void {
    if (!update.docChanged || update.transactions.some((tr) => tr.annotation(fromDocument))) return;
    const doc = this.doc;
    if (!doc) return;
    try {
      const reading = readJson(update.state.doc.toString());
      if (reading.ok) {
        this.#problem = undefined;
        doc.replace(reading.value, { origin: 'json', merge: 'json' });
      } else {
        this.#problem = reading.problem;
      }
    } catch (error) {
      // Nothing escapes into the host page; the text stays as typed.
      console.error(error);
    }
    this.requestUpdate();
    this.#queueDiagnostics();
  }

  /**
   * Puts the document's text in the editor (after a change elsewhere, undo, redo, or a new
   * document), by the smallest change, so the cursor stays near where it was. The person's own
   * layout is kept when it already says the same value (`force` replaces it anyway).
   */
  #mirror(force: boolean): void {
    const view = this.#view;
    const doc = this.doc;
    if (!view) return;
    const current = view.state.doc.toString();
    const next = doc?.text() ?? '';
    if (!force && !this.#problem) {
      const reading = readJson(current);
      if (reading.ok && doc && jsonEqual(reading.value, doc.value)) {
        this.#queueDiagnostics();
        return;
      }
    }
    this.#problem = undefined;
    if (current !== next) {
      view.dispatch({ changes: minimalChange(current, next), annotations: fromDocument.of(true), scrollIntoView: false });
    }
    this.requestUpdate();
    this.#queueDiagnostics();
  }

  #queueDiagnostics(): void {
    if (this.#diagnosticsQueued) return;
    this.#diagnosticsQueued = true;
    // After the editor's update and the document's change event have both finished.
    queueMicrotask(() => {
      this.#diagnosticsQueued = false;
      this.#refreshDiagnostics();
    });
  }

  #tree(state: EditorState): Tree {
    return ensureSyntaxTree(state, state.doc.length, 1000) ?? jsonLanguage.parser.parse(state.doc.toString());
  }

  /** Where a pointer's node is in the text now; undefined when the text has no value (empty, or not JSON at the top). */
  rangeOf(pointer: string): PointerRange | undefined {
    const view = this.#view;
    if (!view) return undefined;
    let segments: string[];
    try {
      segments = parsePointer(pointer);
    } catch {
      return undefined;
    }
    const text = view.state.doc.toString();
    const found = locate(this.#tree(view.state), text, segments);
    if (!found) return undefined;
    if (found.exact) return { from: found.from, to: found.to, exact: true };
    // A missing property or item: its parent, marked from its name to its opening bracket.
    const container = found.node.name === 'Object' || found.node.name === 'Array';
    return { from: found.keyFrom ?? found.from, to: container ? found.from + 1 : found.to, exact: false };
  }

  #refreshDiagnostics(): void {
    const view = this.#view;
    const doc = this.doc;
    if (!view) return;
    const diagnostics: Diagnostic[] = [];
    const length = view.state.doc.length;
    const p = this.#problem;
    if (p) {
      diagnostics.push({
        from: Math.min(p.from, length),
        to: Math.min(Math.max(p.to, p.from), length),
        severity: 'error',
        source: this.msg(jsonMessages, 'source.syntax'),
        message: `${p.line}:${p.column} ${this.msg(jsonMessages, `fault.${p.fault}`)}`,
      });
    } else if (doc) {
      for (const error of doc.errors) {
        const range = this.rangeOf(error.pointer) ?? { from: 0, to: Math.min(1, length), exact: false };
        diagnostics.push({
          from: range.from,
          to: Math.max(range.to, range.from),
          severity: 'error',
          source: `${this.msg(jsonMessages, 'source.checker')} ${error.pointer || '/'}`,
          message: error.hint ? `${error.message}\n${this.msg(jsonMessages, 'hint', { hint: error.hint })}` : error.message,
        });
      }
    }
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  /**
   * Selects the node of `pointer` in the text (its parent when it is missing), scrolls it into
   * view and focuses the editor. True when the pointer resolves to a place in the text.
   */
  override async focusPointer(pointer: string): Promise<boolean> {
    await this.updateComplete;
    const view = this.#view;
    if (!view) return false;
    const range = this.rangeOf(pointer);
    if (!range) return false;
    view.dispatch({
      selection: EditorSelection.single(range.from, range.to),
      effects: EditorView.scrollIntoView(range.from, { y: 'center' }),
    });
    view.focus();
    return true;
  }
}
