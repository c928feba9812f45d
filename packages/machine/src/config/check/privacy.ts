/**
 * The privacy notice's rules: a form that collects personal data needs one (`privacy-required`
 * at `/privacy`), and its `url` uses an allowed scheme.
 */
import { PERSONAL_TYPES } from '../config.types.js';
import { prop, toPointer } from './json.js';
import { formOf } from './fields.js';
import { checkUrl, URL_SCHEMES, type RuleContext } from './rules.js';

/** Every rule of the privacy notice (see the module's description). */
export function checkPrivacy(rules: RuleContext): void {
  checkPrivacyNeeded(rules);
  checkUrl(rules, ['privacy', 'url'], URL_SCHEMES);
}

function checkPrivacyNeeded({ root, report }: RuleContext): void {
  const form = formOf(root);
  if (!form || Object.hasOwn(root, 'privacy')) return;
  const personal = form.fields.filter((f) => (f.type !== undefined && PERSONAL_TYPES.includes(f.type)) || prop(f.node, 'personal') === true);
  if (personal.length === 0) return;
  const list = personal.map((f) => `${toPointer(f.path)} (${f.name ?? 'unnamed'})`).join(', ');
  report(['privacy'], 'privacy-required', 'The form collects personal data, so the configuration needs a privacy notice.', {
    expected: 'a "privacy" object with controller, purpose, retention and contact',
    hint: `Add "privacy", or stop collecting personal data in: ${list}.`,
  });
}
