/** The machine's own check of an intake, loaded at the first submit (not part of the form's first view). */
export { checkIntakeValues } from '@consult-kit/machine/core';
