/**
 * Types of @consult-kit/embed (both builds): importing it defines every consult-* tag; it exports
 * the element and event classes of @consult-kit/elements (also on `window.ConsultKit` in the IIFE
 * build) and the build's version. Kept by hand beside src/consult-kit.ts, which has the same
 * exports; `npm run typecheck` checks the two agree (packages/embed/test/types.test.ts).
 */
export * from '@consult-kit/elements';
export declare const version: string;
