/**
 * The arithmetic of the trend charts, apart from the DOM: a "nice" value axis (0 to a round
 * maximum in steps of 1, 2 or 5 × 10ⁿ), the layout of a month band chart in CSS pixels, and which
 * month labels fit. Pure functions, so the element and its tests agree on every number.
 */

/** A value axis from 0: its top and the ticks (0 included), whole numbers for counts. */
export interface ValueAxis {
  max: number;
  ticks: number[];
}

/** 0 … a round number at or above `max`, about `count` steps, each 1, 2 or 5 × 10ⁿ (at least 1). */
export function countAxis(max: number, count = 4): ValueAxis {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const last = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= last + step / 2; v += step) ticks.push(v);
  return { max: last, ticks };
}

/** 0 … `scale` in steps of 1 (the stars of a rating scale). */
export function starAxis(scale: number): ValueAxis {
  const max = Number.isInteger(scale) && scale > 0 ? scale : 5;
  return { max, ticks: Array.from({ length: max + 1 }, (_, i) => i) };
}

/** Where things go in a chart `width` × `height` px with `months` bands. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Width of one month's band. */
  band: number;
  /** Width of a bar inside its band. */
  bar: number;
}

export const CHART_HEIGHT = 260;
const MARGIN = { left: 44, right: 12, top: 28, bottom: 48 } as const;

export function frame(width: number, months: number, height = CHART_HEIGHT): Frame {
  const w = Math.max(240, Math.round(width));
  const left = MARGIN.left;
  const right = w - MARGIN.right;
  const band = (right - left) / Math.max(1, months);
  return { width: w, height, left, right, top: MARGIN.top, bottom: height - MARGIN.bottom, band, bar: Math.min(48, Math.max(4, band * 0.7)) };
}

/** The x of month `i`'s centre. */
export function centre(f: Frame, i: number): number {
  return f.left + f.band * (i + 0.5);
}

/** The y of `value` on `axis`. */
export function yOf(f: Frame, axis: ValueAxis, value: number): number {
  return f.bottom - ((f.bottom - f.top) * Math.max(0, value)) / axis.max;
}

/** Every how many months a label fits (`minGap` px between label centres): 1, 2, 3, 4, 6 or 12. */
export function labelStride(f: Frame, minGap = 40): number {
  return [1, 2, 3, 4, 6, 12].find((s) => s * f.band >= minGap) ?? 12;
}
