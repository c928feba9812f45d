/**
 * The consult-kit elements in JSX, as React 19 treats them.
 *
 * React 19 renders a tag with a dash as a custom element: for each prop it sets the element's
 * PROPERTY when the element has one (`'config' in el`, `'lang' in el`, `'value' in el`), else the
 * ATTRIBUTE (`user-role`, `user-id`, `db-name`). A prop named `on` + the exact event name
 * (`onconsult-submit`, case-sensitive, everything after `on` is the event type) becomes
 * `addEventListener('consult-submit', …)`. React's own camelCase events (`onChange`, `onClick`)
 * stay React events; for custom elements `onChange` listens to the native `change` event, which
 * `<consult-star-rating>` fires when a person chooses a star.
 *
 * The elements must be defined (import '@consult-kit/embed') before React creates them, or
 * `'config' in el` is false and an object would be written as the attribute "[object Object]".
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  ConsultActionEvent,
  ConsultDraftRestoreEvent,
  ConsultErrorEvent,
  ConsultNavigateEvent,
  ConsultRefusedEvent,
  ConsultStarRating,
  ConsultStepChangeEvent,
  ConsultSubmitEvent,
  ConsultTopicSelectEvent,
  ConsultWorkflow,
  UserRole,
  WorkflowView,
} from '@consult-kit/embed';

type Base<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E>;

/** Every `consult-*` event a workflow (or an element inside it) fires, as `on<event>` props. */
interface ConsultEventProps {
  'onconsult-navigate'?: (event: ConsultNavigateEvent) => void;
  'onconsult-submit'?: (event: ConsultSubmitEvent) => void;
  'onconsult-action'?: (event: ConsultActionEvent) => void;
  'onconsult-error'?: (event: ConsultErrorEvent) => void;
  'onconsult-refused'?: (event: ConsultRefusedEvent) => void;
  'onconsult-step-change'?: (event: ConsultStepChangeEvent) => void;
  'onconsult-draft-restore'?: (event: ConsultDraftRestoreEvent) => void;
  'onconsult-topic-select'?: (event: ConsultTopicSelectEvent) => void;
}

export interface ConsultWorkflowProps extends Base<ConsultWorkflow>, ConsultEventProps {
  /** The parsed config object (set as the property), or a URL. */
  config?: object | string;
  'user-role'?: UserRole;
  'user-id'?: string;
  endpoint?: string;
  view?: WorkflowView;
  topic?: string;
  'db-name'?: string;
  /** A bearer token for staff actions (property only). */
  token?: ConsultWorkflow['token'];
}

export interface ConsultStarRatingProps extends Base<ConsultStarRating> {
  name?: string;
  /** The chosen number of stars (property). */
  value?: number;
  required?: boolean;
  disabled?: boolean;
  scale?: number;
  legend?: string;
  readonly?: boolean;
  average?: number;
  count?: number;
  labels?: ConsultStarRating['labels'];
  'onconsult-error'?: (event: ConsultErrorEvent) => void;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the way to extend React's JSX types
  namespace JSX {
    interface IntrinsicElements {
      'consult-workflow': ConsultWorkflowProps;
      'consult-star-rating': ConsultStarRatingProps;
    }
  }
}
