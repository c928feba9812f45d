/**
 * Types of @consult-kit/embed's module build (`consult-kit.min.js`): importing it defines every
 * consult-* tag on first use; it exports `load()`, `TAGS` and the build's version. The element
 * classes load with their elements (`await load(tag)`, then `customElements.get(tag)`; their types
 * are in `@consult-kit/elements`); the classic-script build puts the classes themselves on
 * `window.ConsultKit`. Kept by hand beside src/consult-kit.ts, which has the same exports;
 * `npm run typecheck` checks the two agree (packages/embed/test/types.test.ts).
 */
export declare const version: string;
/** Every tag this build knows. */
export declare const TAGS: readonly string[];
/** Loads and defines the given tags now (every tag when none is given); never rejects. */
export declare function load(...tags: string[]): Promise<void>;
