/** The form field that holds a topic's category, found once per config. */
import type { FormField, WorkflowConfig } from './config.types.js';

const categoryFields = new WeakMap<WorkflowConfig, FormField | null>();

/**
 * The form field that holds a topic's category: the one with role `category`, else the one named
 * `category`; never a personal field. Null when the form has none.
 */
export function categoryField(config: WorkflowConfig): FormField | null {
  let found = categoryFields.get(config);
  if (found === undefined) {
    const fields = config.form.pages.flatMap((page) => page.fields).filter((f) => !f.personal);
    found = fields.find((f) => (f.role as string | undefined) === 'category') ?? fields.find((f) => f.name === 'category') ?? null;
    categoryFields.set(config, found);
  }
  return found;
}
