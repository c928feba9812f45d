/**
 * Diagnostics channels the server publishes on and the observability capability subscribes to.
 * Publishers import the names and message types from here; nothing here imports the publishers,
 * so the channels add no import edge from the append path to the metrics.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** The channel the event log publishes on after each committed append. */
export const APPEND_CHANNEL_NAME = 'consult-kit:append';

/** The message published on {@link APPEND_CHANNEL_NAME} after each committed append. */
export interface AppendMessage {
  /** The programme the events were appended to. */
  programmeId: string;
  /** How many events the committed append wrote (a batch counts each event). */
  events: number;
  /** Milliseconds spent waiting for the programme's append lock before writing. */
  lockWaitMs: number;
  /**
   * Optional: the `Db` the append went to (the one `appendEvent` was given). When set, each app
   * counts only appends to its own database — tests run many apps in one process, and the channel
   * is process-wide. Publishers should set it; a message without it is counted by every app.
   */
  db?: object;
}

/** The append channel itself (`diagnostics_channel.channel(APPEND_CHANNEL_NAME)`). */
export const appendChannel = diagnosticsChannel.channel(APPEND_CHANNEL_NAME);

/**
 * Publishes one committed append. Cheap when nobody subscribes (`hasSubscribers` is checked first).
 * Call it after the transaction committed, never inside it.
 */
export function publishAppend(message: AppendMessage): void {
  if (appendChannel.hasSubscribers) appendChannel.publish(message);
}
