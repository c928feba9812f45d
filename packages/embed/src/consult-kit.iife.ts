/**
 * consult-kit in one classic script (`consult-kit.iife.min.js`): every element, the machine and the
 * store in one file, for pages that cannot use `type="module"`. Loading it defines every
 * `consult-*` tag (guarded: a second copy on the page, or loading this file twice, leaves the
 * first definitions in place and never throws) and puts the element and event classes on
 * `window.ConsultKit`.
 *
 * ```html
 * <script src="/assets/consult-kit.iife.min.js"></script>
 * <consult-workflow config="/consult/programme.json" lang="zh-CN"></consult-workflow>
 * ```
 *
 * The module build (`consult-kit.min.js`, src/consult-kit.ts) loads each element on first use.
 */
import '@consult-kit/elements/all.js';

export * from '@consult-kit/elements';

/** The version of this build (also on `window.ConsultKit.version` in the IIFE build). */
export const version = '0.1.0';
