/**
 * The calendar invite a meeting notice carries (RFC 5545 iCalendar, RFC 5546 METHOD:REQUEST):
 * one VEVENT whose UID is stable per topic and meeting round, so a moved meeting (SEQUENCE + 1)
 * updates the event already in the recipient's calendar instead of adding a second one.
 *
 * Written here rather than with `ical-generator`: we need one event with eight properties, and
 * that library brings optional peer dependencies on four date libraries for time zones we do
 * not use (DTSTART is written in UTC). The rules that matter are kept and tested by parsing the
 * output with `ical.js`: CRLF line endings, lines folded at 75 octets without splitting a UTF-8
 * character, TEXT values escaped (`\\`, `\;`, `\,`, `\n`).
 */
import type { Locale, NoticeIntent, RenderedNotice } from '@consult-kit/machine';

/** How long a meeting is taken to last when nothing says otherwise. */
export const DEFAULT_MEETING_MINUTES = 120;

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with one space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** `20261210T020000Z` from an ISO time or epoch ms. */
export function utcStamp(time: string | number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The UID of a topic's meeting round: stable, so updates replace the event. */
export function meetingUid(programmeId: string, topicId: string, round: number): string {
  return `${programmeId}.${topicId}.meeting-${round}@consult-kit`;
}

/** The invite of a meeting notice (`intent.meeting` set), in `locale`'s words. */
export function meetingIcs(input: {
  programmeId: string;
  intent: NoticeIntent;
  texts: Record<Locale, RenderedNotice>;
  locale: Locale;
  /** The From address: the ORGANIZER. */
  from?: string | undefined;
  /** DTSTAMP: when the invite was made. */
  nowMs: number;
  minutes?: number;
}): string {
  const meeting = input.intent.meeting!;
  const words = input.texts[input.locale];
  const organizer = input.from ? (/<([^>]+)>\s*$/.exec(input.from)?.[1] ?? input.from).trim() : undefined;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//consult-kit//notifications//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${meetingUid(input.programmeId, input.intent.topicId, meeting.round)}`,
    `SEQUENCE:${meeting.sequence}`,
    `DTSTAMP:${utcStamp(input.nowMs)}`,
    `DTSTART:${utcStamp(meeting.start)}`,
    `DURATION:PT${input.minutes ?? DEFAULT_MEETING_MINUTES}M`,
    `SUMMARY:${escapeText(words.subject)}`,
    `DESCRIPTION:${escapeText(words.text)}`,
    `LOCATION:${escapeText(meeting.place)}`,
    ...(organizer ? [`ORGANIZER:mailto:${organizer}`] : []),
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
