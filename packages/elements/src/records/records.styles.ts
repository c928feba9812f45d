/**
 * The printable records' styles (<consult-meeting-record>, <consult-topic-dossier>,
 * <consult-room-report>): a plain document on screen, and on paper black on white at A4, rows and
 * record blocks never cut across pages, table headers repeated on every page, a new section on a
 * new page where one should start, links followed by their address, the Print button gone.
 *
 * `@page` is honoured only in the document's own style sheets, never in a shadow root's, so the
 * page size and margins (`PAGE_RULE`) are adopted by the document once (a constructed style sheet,
 * which a strict `style-src` allows) while a record is on the page.
 */
import { css } from 'lit';

/** The A4 page of a printed record: adopted by the document (see `adoptPageRule`). */
export const PAGE_RULE = '@page { size: A4; margin: 15mm; }';

let pageSheet: CSSStyleSheet | undefined;

/** Adds the A4 page rule to the document's adopted style sheets (once per document); never throws. */
export function adoptPageRule(doc: Document = document): void {
  try {
    if (!('adoptedStyleSheets' in doc)) return;
    pageSheet ??= (() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PAGE_RULE);
      return sheet;
    })();
    if (!doc.adoptedStyleSheets.includes(pageSheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, pageSheet];
  } catch {
    /* an old browser: the printer's default page */
  }
}

export const recordsStyles = css`
  :host {
    max-width: 210mm;
  }
  .document {
    display: grid;
    gap: var(--_space);
  }
  .toolbar {
    display: flex;
    justify-content: flex-end;
  }
  .print {
    display: inline-flex;
    align-items: center;
    min-height: calc(2.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(1.25 * var(--_base));
    border: 2px solid var(--_text);
    border-radius: var(--_radius);
    font: inherit;
    font-weight: 700;
    color: var(--_text);
    background: var(--_bg);
    cursor: pointer;
  }
  h2,
  h3,
  h4 {
    line-height: 1.3;
    margin: 0;
    break-after: avoid;
  }
  h2 {
    font-size: 1.5em;
  }
  h3 {
    font-size: 1.2em;
    border-bottom: 2px solid var(--_text);
    padding-bottom: 0.2em;
  }
  h4 {
    font-size: 1.05em;
  }
  p {
    margin: 0;
  }
  .caption {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .muted {
    color: var(--_muted);
  }
  section {
    display: grid;
    gap: calc(0.5 * var(--_space));
  }
  .facts {
    display: grid;
    grid-template-columns: minmax(6em, max-content) 1fr;
    gap: 0.25em 1em;
    margin: 0;
  }
  .facts dt {
    font-weight: 700;
  }
  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .block,
  .record {
    break-inside: avoid;
  }
  .record {
    border: 1px solid var(--_border);
    padding: calc(0.75 * var(--_space));
    display: grid;
    gap: calc(0.5 * var(--_space));
  }
  ul.plain,
  ol.plain {
    margin: 0;
    padding-inline-start: 1.25em;
  }
  .roles {
    display: grid;
    gap: 0.25em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .roles li {
    break-inside: avoid;
  }
  .role {
    font-weight: 700;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.95em;
  }
  caption {
    text-align: start;
    font-weight: 700;
    padding-bottom: 0.25em;
  }
  th,
  td {
    border: 1px solid var(--_border);
    padding: 0.3em 0.45em;
    text-align: start;
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  thead {
    display: table-header-group;
  }
  tr {
    break-inside: avoid;
  }
  th[scope='row'],
  thead th {
    font-weight: 700;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .signatures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14em, 1fr));
    gap: var(--_space) calc(2 * var(--_space));
    break-inside: avoid;
    margin-top: var(--_space);
  }
  .signature {
    display: grid;
    gap: 0.25em;
  }
  .line {
    display: block;
    border-bottom: 1px solid var(--_text);
    min-height: 2.5em;
  }
  .stars {
    letter-spacing: 0.1em;
  }
  .problem {
    border-inline-start: 4px solid var(--_error);
    padding: 0.5em 1em;
  }
  .new-page {
    break-before: page;
  }

  @media print {
    :host {
      max-width: none;
      --_text: #000;
      --_muted: #000;
      --_bg: #fff;
      --_border: #000;
      color: #000 !important;
      background: #fff;
    }
    .toolbar {
      display: none;
    }
    a {
      color: #000;
      text-decoration: none;
    }
    a[href]::after {
      content: ' (' attr(href) ')';
    }
    .record {
      border-color: #000;
    }
  }
  @media (forced-colors: active) {
    .print {
      border-color: ButtonText;
    }
  }
`;
