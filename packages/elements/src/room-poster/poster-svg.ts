/**
 * The poster as an A4 SVG file (210 × 297 mm), built with DOM APIs (`createElementNS`, never
 * markup strings) from the same blocks and the same QR module runs (`qrRuns`) as the poster on
 * screen, so the downloaded file and the printed page carry the same code. Text is wrapped by an
 * estimate of each character's width (CJK full width, Latin about half), centred on the page.
 */
import { qrRuns } from '../my-topics/qr.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Quiet zone around a QR code, in modules (the standard asks for 4). */
export const QR_QUIET = 4;

const PAGE_WIDTH = 210;
const PAGE_HEIGHT = 297;
const MARGIN = 15;
const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const MONO = "'Noto Sans Mono', 'DejaVu Sans Mono', monospace";

export type PosterBlock =
  | { kind: 'text'; text: string; size: number; lang: string; bold?: boolean; mono?: boolean; gap?: number }
  | { kind: 'qr'; text: string; size: number; label: string; gap?: number };

/** One path of every dark run (`M x y h w v 1 h -w z`), offset by the quiet zone. */
export function qrPath(runs: ReadonlyArray<readonly [number, number, number]>, quiet = QR_QUIET): string {
  return runs.map(([x, y, w]) => `M${x + quiet} ${y + quiet}h${w}v1h-${w}z`).join('');
}

/** The QR code of `text`: its side in modules (with the quiet zone) and the path of its dark modules. */
export function qrShape(text: string): { total: number; path: string } {
  const { size, runs } = qrRuns(text);
  return { total: size + 2 * QR_QUIET, path: qrPath(runs) };
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

function charWidth(ch: string, size: number, mono: boolean, bold: boolean): number {
  if (WIDE.test(ch)) return size;
  if (mono) return size * 0.6;
  return size * (bold ? 0.62 : 0.56);
}

/** Splits text into lines no wider than `width` (mm): Latin at spaces (a word longer than a line, or any monospaced text such as a URL, anywhere), CJK between any two characters. */
export function wrapText(text: string, size: number, width: number, mono = false, bold = false): string[] {
  const measure = (s: string): number => [...s].reduce((sum, ch) => sum + charWidth(ch, size, mono, bold), 0);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    const push = (): void => {
      if (line.trim() !== '') lines.push(line.trim());
      line = '';
      used = 0;
    };
    // Tokens: spaces, a run of narrow non-space characters (a Latin word), or one character.
    const tokens = mono ? [...paragraph] : (paragraph.match(new RegExp(`\\s+|(?:(?!${WIDE.source})\\S)+|[\\s\\S]`, 'gu')) ?? []);
    for (const token of tokens) {
      const tokenWidth = measure(token);
      if (used + tokenWidth <= width) {
        line += token;
        used += tokenWidth;
      } else if (/^\s+$/.test(token)) {
        push();
      } else if (tokenWidth <= width) {
        push();
        line = token;
        used = tokenWidth;
      } else {
        for (const ch of token) {
          const w = charWidth(ch, size, mono, bold);
          if (used + w > width) push();
          line += ch;
          used += w;
        }
      }
    }
    push();
  }
  return lines;
}

function el<K extends keyof SVGElementTagNameMap>(doc: Document, name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/** Rounds to 0.01 mm, so the file does not carry float noise. */
const mm = (n: number): number => Math.round(n * 100) / 100;

/** Lays the blocks out from the top at `scale` × their sizes; returns the nodes and where they end. */
function layout(doc: Document, blocks: readonly PosterBlock[], scale: number): { nodes: SVGElement[]; end: number } {
  const nodes: SVGElement[] = [];
  const centre = PAGE_WIDTH / 2;
  const width = PAGE_WIDTH - 2 * MARGIN;
  let y = MARGIN;
  for (const block of blocks) {
    y += (block.gap ?? 0) * scale;
    const size = block.size * scale;
    if (block.kind === 'qr') {
      const { total, path } = qrShape(block.text);
      const group = el(doc, 'g', { transform: `translate(${mm(centre - size / 2)} ${mm(y)}) scale(${mm((size / total) * 1000) / 1000})`, 'shape-rendering': 'crispEdges' });
      const label = el(doc, 'title', {});
      label.textContent = block.label;
      group.append(label, el(doc, 'rect', { x: 0, y: 0, width: total, height: total, fill: '#ffffff' }), el(doc, 'path', { d: path, fill: '#000000' }));
      nodes.push(group);
      y += size;
      continue;
    }
    for (const line of wrapText(block.text, size, width, block.mono, block.bold)) {
      y += size * 1.3;
      const text = el(doc, 'text', {
        x: centre,
        y: mm(y - size * 0.3),
        'text-anchor': 'middle',
        'font-family': block.mono ? MONO : FONT,
        'font-size': mm(size),
        fill: '#000000',
        lang: block.lang,
        ...(block.bold ? { 'font-weight': 'bold' } : {}),
      });
      text.textContent = line;
      nodes.push(text);
    }
  }
  return { nodes, end: y };
}

/**
 * The poster as an `<svg>` element of an A4 page: blocks stacked from the top, centred, black on
 * white, the QR code drawn as one path on a white square with its quiet zone. When the blocks are
 * taller than the page, every size shrinks in proportion until they fit (text wraps again).
 */
export function posterSvg(doc: Document, blocks: readonly PosterBlock[], meta: { title: string; lang: string }): SVGSVGElement {
  const root = el(doc, 'svg', {
    xmlns: SVG_NS,
    width: `${PAGE_WIDTH}mm`,
    height: `${PAGE_HEIGHT}mm`,
    viewBox: `0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}`,
    lang: meta.lang,
    role: 'img',
  });
  const title = el(doc, 'title', {});
  title.textContent = meta.title;
  root.append(title, el(doc, 'rect', { x: 0, y: 0, width: PAGE_WIDTH, height: PAGE_HEIGHT, fill: '#ffffff' }));
  root.append(el(doc, 'rect', { x: 6, y: 6, width: PAGE_WIDTH - 12, height: PAGE_HEIGHT - 12, fill: 'none', stroke: '#000000', 'stroke-width': 0.8 }));
  const limit = PAGE_HEIGHT - MARGIN;
  let scale = 1;
  let laid = layout(doc, blocks, scale);
  for (let tries = 0; laid.end > limit && tries < 6; tries += 1) {
    scale *= ((limit - MARGIN) / (laid.end - MARGIN)) * 0.99;
    laid = layout(doc, blocks, scale);
  }
  root.append(...laid.nodes);
  return root;
}
