/** The transport's rule: an `http` transport's `endpoint` is an `https:` or `http:` URL (or relative). */
import { prop, stringProp } from './json.js';
import { checkUrl, ENDPOINT_SCHEMES, type RuleContext } from './rules.js';

/** Every rule of the transport (see the module's description). */
export function checkTransport(rules: RuleContext): void {
  if (stringProp(prop(rules.root, 'transport'), 'type') === 'http') checkUrl(rules, ['transport', 'endpoint'], ENDPOINT_SCHEMES);
}
