/**
 * A QR code drawn with Lit: the module matrix from `uqr` (MIT, ≈ 3.9 KiB gzip for `encode`, no
 * eval, no markup strings) as `svg` `<rect>`s, one per run of dark modules: no `innerHTML`, no
 * `data:` URL, so it works under a strict CSP. Loaded on demand by `follow-code.ts`.
 */
import { html, svg, type TemplateResult } from 'lit';
import { encode } from 'uqr';

/** Quiet zone around a QR code, in modules (the standard asks for 4). */
const QUIET = 4;

/** A QR code of `text` as horizontal runs of dark modules: `[x, y, width]` (y and x in modules), and its size. */
export function qrRuns(text: string): { size: number; runs: Array<[number, number, number]> } {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const runs: Array<[number, number, number]> = [];
  data.forEach((row, y) => {
    let start = -1;
    row.forEach((dark, x) => {
      if (dark && start < 0) start = x;
      if ((!dark || x === row.length - 1) && start >= 0) {
        runs.push([start, y, (dark ? x + 1 : x) - start]);
        start = -1;
      }
    });
  });
  return { size, runs };
}

/** Draws a QR code of `text` as an SVG image labelled `label`. */
export function renderQr(text: string, label: string): TemplateResult {
  const { size, runs } = qrRuns(text);
  const total = size + 2 * QUIET;
  return html`<svg
    class="qr"
    part="qr"
    role="img"
    aria-label=${label}
    viewBox="0 0 ${total} ${total}"
    shape-rendering="crispEdges"
  >
    ${svg`<rect class="qr-light" x="0" y="0" width=${total} height=${total}></rect>
    ${runs.map(([x, y, w]) => svg`<rect class="qr-dark" x=${x + QUIET} y=${y + QUIET} width=${w} height="1"></rect>`)}`}
  </svg>`;
}
