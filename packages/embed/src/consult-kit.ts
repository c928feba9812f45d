/**
 * consult-kit in one file: importing it defines every `consult-*` tag (guarded: a second copy on
 * the page, or loading this file twice, leaves the first definitions in place and never throws).
 *
 * ```html
 * <script src="/assets/consult-kit.min.js" type="module"></script>
 * <consult-workflow config="/consult/programme.json" lang="zh-CN"></consult-workflow>
 * ```
 *
 * The ESM build also exports the element and event classes (for `instanceof` checks and types);
 * the IIFE build puts the same exports on `window.ConsultKit`.
 */
import '@consult-kit/elements/all.js';

export * from '@consult-kit/elements';

/** The version of this build (also on `window.ConsultKit.version` in the IIFE build). */
export const version = '0.1.0';
