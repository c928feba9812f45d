/**
 * The config being edited: one JSON value, changed only through this class, so every pane (the
 * visual editors, the JSON pane, the translations table) sees the same document, every change is
 * one step of undo/redo whichever pane made it, and the checker runs after every change.
 *
 * Values are never mutated: an edit copies the path down to the node it changes (structural
 * sharing), so a pane can compare by identity to know what changed.
 */
import { parseWorkflowConfig, type ConfigError, type WorkflowConfig } from '@consult-kit/machine';
import { canonicalText, getAt, jsonEqual, updateAt, type Json } from './pointer.js';

/** Who made a change: a visual editor, the JSON pane, an import, undo/redo, a reload. */
export type ChangeOrigin = 'editor' | 'json' | 'import' | 'undo' | 'redo' | 'load';

/** `detail` of the document's `change` event. */
export interface ChangeDetail {
  /** The node that changed (`""` for the whole document). */
  pointer: string;
  origin: ChangeOrigin;
}

/** `detail` of the document's `focus-request` event: a pane should focus the control of this node. */
export interface FocusRequestDetail {
  pointer: string;
}

/** Options of an edit. */
export interface EditOptions {
  /**
   * Edits with the same `merge` key made one after another form one undo step (typing a label
   * letter by letter is undone as one edit). Any other edit, undo or redo ends the run.
   */
  merge?: string;
  origin?: ChangeOrigin;
}

interface UndoStep {
  before: Json;
  after: Json;
  pointer: string;
  merge?: string;
}

const UNDO_LIMIT = 500;

/** The outcome of checking the document with the machine's `parseWorkflowConfig`. */
export interface CheckOutcome {
  errors: ConfigError[];
  /** The checked config (every default applied) when there are no errors. */
  config?: WorkflowConfig;
}

/** Checks a JSON value as a workflow config; never throws (a checker crash is one error at ""). */
export function checkConfig(value: Json): CheckOutcome {
  try {
    const result = parseWorkflowConfig(value);
    return result.ok ? { errors: [], config: result.config } : { errors: result.errors };
  } catch (error) {
    return { errors: [{ pointer: '', code: 'checker-failed', message: (error as Error).message }] };
  }
}

/**
 * The document. Events: `change` (`ChangeDetail`) after every change, checked already;
 * `focus-request` (`FocusRequestDetail`) when something (an error in the list) asks the pane that
 * edits a node to focus its control.
 */
export class StudioDocument extends EventTarget {
  #value: Json;
  #saved: Json;
  #undo: UndoStep[] = [];
  #redo: UndoStep[] = [];
  #check: CheckOutcome;
  /** The last config that passed the checker (the preview and diagram keep showing it while there are errors). */
  #lastGood: WorkflowConfig | undefined;
  #revision = 0;

  constructor(value: Json) {
    super();
    this.#value = value;
    this.#saved = value;
    this.#check = checkConfig(value);
    this.#lastGood = this.#check.config;
  }

  /** The whole config as it stands. */
  get value(): Json {
    return this.#value;
  }

  /** Counts changes: panes compare it to know whether to redraw. */
  get revision(): number {
    return this.#revision;
  }

  /** Every fault the checker found in the current value, each with its JSON Pointer. */
  get errors(): readonly ConfigError[] {
    return this.#check.errors;
  }

  /** The checked config when the current value has no faults. */
  get config(): WorkflowConfig | undefined {
    return this.#check.config;
  }

  /** The last checked config without faults (the current one when there are none). */
  get lastGoodConfig(): WorkflowConfig | undefined {
    return this.#lastGood;
  }

  /** The node at a pointer. */
  get(pointer: string): Json | undefined {
    return getAt(this.#value, pointer);
  }

  /** The canonical text of the config (what export writes). */
  text(): string {
    return canonicalText(this.#value);
  }

  /** Whether the value differs from the one last loaded or saved. */
  get dirty(): boolean {
    return !jsonEqual(this.#value, this.#saved);
  }

  /** Marks the current value as saved (after a publish or an export). */
  markSaved(): void {
    this.#saved = this.#value;
    this.#emit('', 'load');
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Sets (or, for undefined, removes) the node at a pointer; missing objects on the way are created. */
  set(pointer: string, value: Json | undefined, options: EditOptions = {}): void {
    if (value !== undefined && jsonEqual(this.get(pointer), value)) return;
    if (value === undefined && this.get(pointer) === undefined) return;
    this.#commit(updateAt(this.#value, pointer, () => value), pointer, options);
  }

  /** Removes the node at a pointer (an array item is spliced out). */
  remove(pointer: string, options: EditOptions = {}): void {
    this.set(pointer, undefined, options);
  }

  /** Inserts `value` into the array at `arrayPointer`, at `index` (default: the end). */
  insert(arrayPointer: string, value: Json, index?: number, options: EditOptions = {}): void {
    const next = updateAt(this.#value, arrayPointer, (node) => {
      const list = Array.isArray(node) ? node.slice() : [];
      list.splice(index ?? list.length, 0, value);
      return list;
    });
    this.#commit(next, arrayPointer, options);
  }

  /** Moves an item of the array at `arrayPointer` from one index to another. */
  move(arrayPointer: string, from: number, to: number, options: EditOptions = {}): void {
    const list = this.get(arrayPointer);
    if (!Array.isArray(list) || from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return;
    const next = updateAt(this.#value, arrayPointer, () => {
      const copy = list.slice();
      const [item] = copy.splice(from, 1);
      copy.splice(to, 0, item!);
      return copy;
    });
    this.#commit(next, arrayPointer, options);
  }

  /** Replaces the whole value (the JSON pane, an import); one undo step. */
  replace(value: Json, options: EditOptions = {}): void {
    if (jsonEqual(value, this.#value)) return;
    this.#commit(value, '', options);
  }

  /** Loads a value as saved (opening a programme, a template, a kept draft): clears undo. */
  load(value: Json, { saved = value }: { saved?: Json } = {}): void {
    this.#value = value;
    this.#saved = saved;
    this.#undo = [];
    this.#redo = [];
    this.#recheck();
    this.#emit('', 'load');
  }

  undo(): void {
    const step = this.#undo.pop();
    if (!step) return;
    this.#redo.push({ ...step, merge: undefined });
    this.#value = step.before;
    this.#recheck();
    this.#emit(step.pointer, 'undo');
  }

  redo(): void {
    const step = this.#redo.pop();
    if (!step) return;
    this.#undo.push({ ...step, merge: undefined });
    this.#value = step.after;
    this.#recheck();
    this.#emit(step.pointer, 'redo');
  }

  /** Asks the pane that edits `pointer` to focus its control (the shell switches to that pane first). */
  requestFocus(pointer: string): void {
    this.dispatchEvent(new CustomEvent<FocusRequestDetail>('focus-request', { detail: { pointer } }));
  }

  #commit(next: Json, pointer: string, { merge, origin = 'editor' }: EditOptions): void {
    const last = this.#undo[this.#undo.length - 1];
    if (merge && last?.merge === merge) last.after = next;
    else {
      this.#undo.push({ before: this.#value, after: next, pointer, merge });
      if (this.#undo.length > UNDO_LIMIT) this.#undo.shift();
    }
    this.#redo = [];
    this.#value = next;
    this.#recheck();
    this.#emit(pointer, origin);
  }

  #recheck(): void {
    this.#check = checkConfig(this.#value);
    if (this.#check.config) this.#lastGood = this.#check.config;
    this.#revision += 1;
  }

  #emit(pointer: string, origin: ChangeOrigin): void {
    this.dispatchEvent(new CustomEvent<ChangeDetail>('change', { detail: { pointer, origin } }));
  }
}
