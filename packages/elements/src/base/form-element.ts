/**
 * Form association for consult-kit controls: the value is in a plain `<form>`'s FormData,
 * validity comes through `setValidity`, and reset and restore work. `ElementInternals` is created
 * lazily under a symbol key: a `#private` field is not yet there while Lit constructs the element.
 */
import { ConsultElement } from './consult-element.js';

const internalsKey = Symbol('consult-internals');

export class ConsultFormElement extends ConsultElement {
  static formAssociated = true;

  static override properties = {
    ...ConsultElement.properties,
    name: { reflect: true },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
  };

  private [internalsKey]: ElementInternals | undefined;

  /** The form's ElementInternals, created on first use. */
  protected get internals(): ElementInternals {
    return (this[internalsKey] ??= this.attachInternals());
  }

  /** Name under which the value is submitted. */
  declare name: string;

  /** The form is invalid until a value is chosen. */
  declare required: boolean;

  /** Not editable and not submitted. */
  declare disabled: boolean;

  constructor() {
    super();
    this.name = '';
    this.required = false;
    this.disabled = false;
  }

  /** The `<form>` this control belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  get willValidate(): boolean {
    return this.internals.willValidate;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /** Sets the submitted value synchronously (and the state restored after navigation). */
  protected setFormValue(value: string | null): void {
    this.internals.setFormValue(value, value);
  }

  /** Sets validity; `anchor` is the inner control the browser points at. */
  protected setValidity(flags: ValidityStateFlags, message?: string, anchor?: HTMLElement): void {
    if (Object.values(flags).some(Boolean)) this.internals.setValidity(flags, message, anchor);
    else this.internals.setValidity({});
  }

  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }
}
