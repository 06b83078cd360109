// tests/http/lib/raw.mjs — one HTTP/1.1 request written byte for byte over a
// TCP socket, for what fetch() cannot send: paths it would normalise
// (/a/../../b), bytes it would encode (invalid UTF-8), or headers it refuses.
//
//   import { rawRequest } from './lib/raw.mjs';
//   const res = await rawRequest(stack.env.PORT, 'GET /../x HTTP/1.1\r\n...');
//   res.status, res.headers (lower-case names; repeated ones joined by ", "),
//   res.body (Buffer)
//
// The request is sent as given (a string is sent as latin1, so '\xff' is the
// byte 0xff), the connection is closed by the server (send
// "Connection: close"; the socket is not half-closed first, see below), and
// the response is parsed once it has all arrived.

import net from 'node:net';
import { deadline } from './stack.mjs';

/** Parse a whole HTTP/1.1 response (no chunked bodies needed by the core). */
export function parseResponse(bytes) {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no end of headers in ${JSON.stringify(bytes.toString('latin1'))}`);
  const lines = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!match) throw new Error(`not an HTTP status line: ${lines[0]}`);
  const headers = {};
  const raw = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    raw.push([name, value]);
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  let body = bytes.subarray(split + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: Number(match[1]), headers, raw, body };
}

function unchunk(body) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const toBytes = (piece) => (typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send `request` (string as latin1 bytes, or Buffer) to 127.0.0.1:port and
 * resolve with the parsed response once the server closes the connection.
 * An array is sent as separate writes `gap` ms apart, the way a slow
 * client's packets arrive.
 */
export function rawRequest(port, request, { gap = 30 } = {}) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
    socket.setTimeout(deadline(20000), () => {
      socket.destroy(new Error('raw request timed out'));
    });
    socket.on('connect', async () => {
      // Not end(): nginx takes a half-closed connection for a client that
      // went away (499) and drops the request.
      const pieces = Array.isArray(request) ? request : [request];
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await pause(gap);
        if (socket.destroyed) return;
        socket.write(toBytes(piece));
      }
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** A GET (or `method`) request for `target`, byte for byte, with extra header lines. */
export function rawGet(port, target, { method = 'GET', headers = {} } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return rawRequest(port, `${lines.join('\r\n')}\r\n\r\n`);
}
