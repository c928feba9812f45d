/**
 * The two formats GeoReport v2 answers in, chosen by the path's extension: `.json`
 * (`application/json`) and `.xml` (`text/xml`, the spec's default), and its error shape,
 * `[{ code, description }]` (`<errors><error>…` in XML).
 */
import type { FastifyReply } from 'fastify';

/** A format the routes answer in. */
export type Format = 'json' | 'xml';

/** The media types of the formats. */
export const MEDIA_TYPES: Readonly<Record<Format, string>> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** An error as the spec answers it: an HTTP status and a description (English). */
export class Open311Error extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'Open311Error';
    this.status = status;
    this.headers = headers;
  }
}

/** A path's last segment split into its name and format: `services.json` → `{ name: 'services', format: 'json' }`. */
export function splitFile(file: string): { name: string; format?: Format } {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return { name: file };
  const ext = file.slice(dot + 1).toLowerCase();
  const name = file.slice(0, dot);
  return ext === 'json' || ext === 'xml' ? { name, format: ext } : { name: file };
}

/** The element name of each list's items in XML (the spec's: `<services><service>`, `<service_requests><request>`…). */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

const XML_CHARS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data (characters XML 1.0 cannot hold dropped). */
function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_CHARS[c]!);
}

function element(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A value as an XML document under `root` (a list's items under their spec names). */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
}

/** Sends a body in the format: JSON as it is, XML under `root`. */
export function send(reply: FastifyReply, format: Format, root: string, body: unknown): FastifyReply {
  reply.type(MEDIA_TYPES[format]);
  return reply.send(format === 'json' ? JSON.stringify(body) : toXml(root, body));
}

/** Sends an error in the spec's shape. */
export function sendError(reply: FastifyReply, format: Format, status: number, description: string, headers: Record<string, string> = {}): FastifyReply {
  return send(reply.code(status).headers(headers), format, 'errors', [{ code: status, description }]);
}
