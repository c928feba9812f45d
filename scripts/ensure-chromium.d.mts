/** Types for scripts/ensure-chromium.mjs, so TypeScript tests can share its path and flags. */
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): string | undefined;
export declare function chromiumPath(): string;
