// tests/http/lib/fcgi.mjs — one FastCGI request, for talking to the core
// without nginx (the socket-mode tests): BEGIN_REQUEST as a responder,
// the params, an empty stdin; the answer is the concatenated stdout.
//
//   const out = await fcgiRequest({ path: sock }, { REQUEST_METHOD: 'GET', ... });
//   const out = await fcgiRequest({ host: '127.0.0.1', port }, params);

import net from 'node:net';
import { deadline } from './stack.mjs';

const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;

function record(type, content) {
  const header = Buffer.alloc(8);
  header[0] = 1;                       // version
  header[1] = type;
  header.writeUInt16BE(1, 2);          // request id
  header.writeUInt16BE(content.length, 4);
  return Buffer.concat([header, content]);
}

function length(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function pairs(params) {
  return Buffer.concat(Object.entries(params).flatMap(([name, value]) => {
    const n = Buffer.from(name);
    const v = Buffer.from(String(value));
    return [length(n.length), length(v.length), n, v];
  }));
}

/** Send one request to `address` (net.connect options); resolves with stdout as a string. */
export function fcgiRequest(address, params, { timeout = deadline(15000) } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    const chunks = [];
    let buffer = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(() => {
      socket.destroy();
      if (!done) reject(new Error(`no FastCGI answer within ${timeout} ms`));
    }, timeout);
    socket.on('connect', () => {
      const begin = Buffer.alloc(8);
      begin.writeUInt16BE(1, 0);       // role: responder
      socket.write(Buffer.concat([
        record(BEGIN_REQUEST, begin),
        record(PARAMS, pairs(params)),
        record(PARAMS, Buffer.alloc(0)),
        record(STDIN, Buffer.alloc(0)),
      ]));
    });
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      while (buffer.length >= 8) {
        const type = buffer[1];
        const size = buffer.readUInt16BE(4);
        const total = 8 + size + buffer[6];
        if (buffer.length < total) break;
        if (type === STDOUT) chunks.push(buffer.subarray(8, 8 + size));
        if (type === END_REQUEST) {
          done = true;
          clearTimeout(timer);
          socket.end();
          resolve(Buffer.concat(chunks).toString());
        }
        buffer = buffer.subarray(total);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (!done) reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!done) reject(new Error('the connection closed before END_REQUEST'));
    });
  });
}

/** The CGI params nginx would send for GET `uri`. */
export function getParams(uri) {
  const [path, query = ''] = uri.split('?');
  return {
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: 'GET',
    REQUEST_URI: uri,
    DOCUMENT_URI: path,
    SCRIPT_NAME: '',
    QUERY_STRING: query,
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '40000',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '80',
    SERVER_PROTOCOL: 'HTTP/1.1',
    CONTENT_LENGTH: '',
    CONTENT_TYPE: '',
  };
}
