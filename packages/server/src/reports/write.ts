/**
 * Writing a report as a file, streamed: CSV (RFC 4180: every field quoted when it holds a comma,
 * a quote or a line break, CRLF between records, UTF-8 with a BOM so Excel reads Chinese right)
 * and XLSX (exceljs's streaming `WorkbookWriter`: one sheet, a bold header row frozen in place,
 * dates as dates, shares as percentages). Neither holds the file in memory: the CSV comes out in
 * chunks of about 64 KiB as the rows are produced, the workbook's rows are committed one by one.
 *
 * A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
 * `'` (CSV and XLSX alike), so a spreadsheet never runs a resident's words as a formula.
 */
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '@consult-kit/machine';
import type { Cell, Column, ColumnType, Report } from './columns.js';

/** Bytes of CSV gathered before a chunk is pushed. */
const CSV_CHUNK = 64 * 1024;

/** The UTF-8 byte order mark Excel needs to read a CSV as UTF-8. */
export const BOM = '\uFEFF';

/** A text as a spreadsheet must take it: a leading formula character neutralised. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `2026-03-02T09:15:00+08:00` → `2026-03-02 09:15:00` (the wall-clock time of its own offset). */
export function wallClock(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?/.exec(iso);
  if (!match) return iso;
  return match[2] ? `${match[1]} ${match[2]}${match[3] ?? ':00'}` : match[1]!;
}

const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] };

/** A cell as CSV text. */
function csvText(cell: Cell, type: ColumnType, lang: Locale): string {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return YES_NO[lang][cell ? 0 : 1];
  if (typeof cell === 'number') return type === 'share' ? String(Math.round(cell * 10_000) / 10_000) : String(cell);
  if (type === 'date') return cell.slice(0, 10);
  if (type === 'datetime') return wallClock(cell);
  return guardFormula(cell);
}

/** The CSV of a report, as a stream of UTF-8 chunks (the BOM first). */
export function csvStream(report: Report, lang: Locale): Readable {
  const { columns } = report;
  function* chunks(): Generator<string> {
    let buffer = BOM + columns.map((c) => csvField(guardFormula(c.header[lang]))).join(',') + '\r\n';
    for (const row of report.rows) {
      buffer += row.map((cell, i) => csvField(csvText(cell, columns[i]!.type, lang))).join(',') + '\r\n';
      if (buffer.length >= CSV_CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer !== '') yield buffer;
  }
  // Strings are encoded as UTF-8 by the reply; objectMode false gives Buffers downstream.
  return Readable.from(chunks(), { objectMode: false });
}

/** An ISO date or time as the Date a spreadsheet shows: its wall-clock fields, as UTC (sheets have no zones). */
export function sheetDate(iso: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function sheetValue(cell: Cell, type: ColumnType): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === 'string') {
    if (type === 'date' || type === 'datetime') return sheetDate(cell) ?? guardFormula(cell);
    return guardFormula(cell);
  }
  return cell;
}

const FORMATS: Partial<Record<ColumnType, string>> = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm', share: '0.0%' };

function width(column: Column, lang: Locale): number {
  const base = { text: 18, number: 10, share: 10, date: 12, datetime: 17, boolean: 8 }[column.type];
  return Math.max(base, Math.min(40, [...column.header[lang]].length * 2 + 2));
}

/**
 * The XLSX of a report, as a stream: the workbook is written into it while the caller reads.
 * `onError` hears a fault once the stream is handed on (the answer has started; it is cut short).
 */
export function xlsxStream(report: Report, lang: Locale, sheetName: string, onError: (error: unknown) => void): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = report.columns.map((c, i) => ({ key: String(i), width: width(c, lang), ...(FORMATS[c.type] ? { style: { numFmt: FORMATS[c.type]! } } : {}) }));
  const write = async (): Promise<void> => {
    const header = sheet.addRow(report.columns.map((c) => c.header[lang]));
    header.font = { bold: true };
    header.commit();
    let n = 0;
    for (const row of report.rows) {
      sheet.addRow(row.map((cell, i) => sheetValue(cell, report.columns[i]!.type))).commit();
      // Let the reader drain what is written before producing more.
      if ((n += 1) % 500 === 0 && out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
