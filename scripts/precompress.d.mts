/** Types for scripts/precompress.mjs, so TypeScript tests can run it on a folder of their own. */
export declare const COMPRESSIBLE: string[];
export declare const ENCODERS: Record<'.br' | '.gz', (data: Buffer) => Promise<Buffer>>;
export declare const DEFAULT_FOLDER: string;
export interface PrecompressReport {
  files: number;
  written: string[];
  fresh: number;
  notSmaller: string[];
  removed: string[];
  bytes: Record<string, { before: number; after: number }>;
}
export declare function precompress(folders: string[], options?: { force?: boolean }): Promise<PrecompressReport>;
