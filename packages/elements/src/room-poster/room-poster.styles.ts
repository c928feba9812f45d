import { css } from 'lit';

/**
 * The poster is laid out once, in units of its own width (`cqi`), so the preview on a phone and the
 * A4 page are the same design at two sizes. On paper it is the page's printable area (A4 less
 * 12 mm margins: 186 × 273 mm); black on white, borders rather than backgrounds, so nothing is
 * lost when a printer drops backgrounds.
 */
export const roomPosterStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.75 * var(--_base));
    margin-block-end: var(--_space);
  }

  .toolbar .button svg {
    width: 1.25em;
    height: 1.25em;
    margin-inline-end: 0.4em;
  }

  .status {
    margin: 0;
    min-height: 1.5em;
  }

  .message {
    margin: 0 0 var(--_space);
    padding: calc(0.75 * var(--_base));
    border-inline-start: 5px solid var(--_border);
  }

  .message--error {
    border-color: var(--_error);
  }

  .poster {
    container-type: inline-size;
    width: min(100%, 186mm);
    margin-inline: auto;
    color: #000;
    background: #fff;
    border: 1px solid #000;
  }

  .sheet {
    display: flex;
    flex-direction: column;
    align-items: center;
    --k: 1;
    gap: calc(1.4cqi * var(--k));
    min-height: calc(100cqi * 270 / 186);
    padding: 3.5cqi 5cqi;
    text-align: center;
    border: 0.8cqi solid #000;
    margin: 1.6cqi;
  }

  .sheet p,
  .sheet h2,
  .sheet h3,
  .sheet dl,
  .sheet dd {
    margin: 0;
  }

  /* Both languages: everything a little smaller, so the two still fit one page. */
  :host([bilingual]) .sheet {
    --k: 0.85;
  }

  :host([bilingual]) .qr-box {
    width: 36cqi;
  }

  .second {
    display: block;
    font-size: 0.72em;
    font-weight: 400;
  }

  .programme {
    font-size: calc(3.4cqi * var(--k));
    line-height: 1.3;
  }

  .room {
    font-size: calc(7.6cqi * var(--k));
    line-height: 1.15;
    font-weight: 800;
    overflow-wrap: anywhere;
  }

  .scan {
    font-size: calc(5.4cqi * var(--k));
    line-height: 1.2;
    font-weight: 800;
    padding: 0.5cqi 3cqi;
    border-block: 0.6cqi solid #000;
  }

  .scan-hint {
    font-size: calc(3cqi * var(--k));
    line-height: 1.3;
    max-width: 84cqi;
  }

  .qr-box {
    width: 44cqi;
    forced-color-adjust: none;
  }

  .qr {
    display: block;
    width: 100%;
    height: auto;
  }

  .refused {
    width: 70cqi;
    padding: 3cqi;
    font-size: 3.2cqi;
    text-align: start;
    border: 0.6cqi dashed #000;
  }

  .refused p + p {
    margin-block-start: 1.5cqi;
  }

  .refused .url,
  .url {
    font-family: ui-monospace, 'Noto Sans Mono', 'DejaVu Sans Mono', monospace;
    overflow-wrap: anywhere;
    word-break: break-all;
  }

  .url-block {
    font-size: calc(2.7cqi * var(--k));
    line-height: 1.3;
    max-width: 88cqi;
  }

  .url {
    display: block;
    font-size: calc(2.7cqi * var(--k));
  }

  .raise {
    width: 100%;
    padding-block-start: calc(1.4cqi * var(--k));
    border-block-start: 0.3cqi solid #000;
  }

  .raise h3 {
    font-size: calc(3.4cqi * var(--k));
    line-height: 1.25;
  }

  .raise p {
    font-size: calc(3.2cqi * var(--k));
    line-height: 1.3;
  }

  .facts {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: calc(0.8cqi * var(--k)) 3cqi;
    width: 100%;
    margin-block-start: auto;
    font-size: calc(3cqi * var(--k));
    line-height: 1.3;
    text-align: start;
  }

  .facts dt {
    font-weight: 700;
    color: #000;
    font-size: 1em;
  }

  @media (forced-colors: active) {
    .poster,
    .sheet,
    .scan,
    .raise,
    .refused {
      border-color: CanvasText;
    }
  }

  @media print {
    :host {
      display: block;
      background: #fff;
    }
    .toolbar,
    .message {
      display: none;
    }
    .poster {
      width: 186mm;
      border: none;
      break-inside: avoid;
    }
    .sheet {
      margin: 0;
      min-height: 270mm;
    }
  }
`;
