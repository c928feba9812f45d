/**
 * Answers for requests Node's HTTP parser refuses before Fastify sees them (a bare LF in a
 * header, a duplicate `Content-Length`, `Content-Length` with `Transfer-Encoding: chunked`, a
 * header block over the limit, a request that takes too long): `application/problem+json` like
 * every other error of this server (Fastify's default answers plain `application/json`), then
 * the connection is closed — after such an error the stream cannot be trusted to frame another
 * request. Hooked by app.ts as Fastify's `clientErrorHandler`.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPES, type ProblemBody } from '../problems.js';

/** An error Node's HTTP server reports with `clientError`. */
interface ClientError extends Error {
  code?: string;
}

/** The problem body for a parser error (no request bytes in it: they may hold a token). */
export function clientErrorProblem(error: ClientError): ProblemBody {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { type: '/problems/headers-too-large', title: PROBLEM_TYPES['headers-too-large'].title, status: 431, detail: 'The request headers are larger than this server accepts.' };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return { type: '/problems/request-timeout', title: PROBLEM_TYPES['request-timeout'].title, status: 408, detail: 'The request was not received in time.' };
  }
  // llhttp's reasons are fixed texts ("Duplicate Content-Length", "Unexpected whitespace after header value").
  const reason = /^Parse Error: ([A-Za-z0-9 ,.'()-]{1,120})$/.exec(error.message)?.[1];
  return {
    type: '/problems/invalid-request',
    title: PROBLEM_TYPES['invalid-request'].title,
    status: 400,
    detail: `The request is not valid HTTP/1.1${reason ? ` (${reason})` : ''}.`,
  };
}

/**
 * Fastify's `clientErrorHandler`: a problem+json answer with `Connection: close`, then the
 * socket ends (and is destroyed once flushed). A reset or already-closed socket gets nothing.
 */
export function clientErrorHandler(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const problem = clientErrorProblem(error);
  const body = JSON.stringify(problem);
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
    `Content-Type: ${PROBLEM_MEDIA_TYPE}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  // A client that never reads must not hold the socket open.
  socket.setTimeout(5_000, () => socket.destroy());
}
