/** The lifecycle pane's own look, after `studioStyles` and `kitStyles`. */
import { css } from 'lit';

export const lifecycleStyles = css`
  .steps > li {
    margin: 1rem 0;
  }

  .step {
    border: 2px solid var(--studio-line);
    border-radius: 6px;
    padding: 0.5rem 1rem 1rem;
  }

  .step.off {
    border-style: dashed;
    background: var(--studio-panel);
  }

  .step-number {
    color: var(--studio-muted);
  }

  .order {
    padding: 0.5rem 0.75rem;
    background: var(--studio-panel);
    border-radius: 4px;
  }

  .badge.problems {
    color: var(--studio-error);
    border-color: var(--studio-error);
  }

  .numbers {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    gap: 0 1rem;
  }

  .inline-checks {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1.5rem;
  }

  .item.off {
    border-style: dashed;
  }
`;
