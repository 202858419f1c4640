/**
 * HTTP over a bare TCP socket, for requests no HTTP client would send:
 * malformed targets, odd methods, hand-made upgrade handshakes. One request
 * per connection; the answer is whatever arrives until the server closes.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed without answering. */
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export const WEBSOCKET_HANDSHAKE = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};

export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  options: { host?: string; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const host = options.host ?? '127.0.0.1';
  const all = { Host: `${host.includes(':') ? `[${host}]` : host}:${port}`, Connection: 'close', ...headers };
  const text = `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer to ${method} ${target} within ${options.timeoutMs ?? 3000} ms: ${Buffer.concat(chunks).toString('latin1')}`));
    }, options.timeoutMs ?? 3000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer still counts as closed
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1')));
    });
    socket.write(text, 'latin1');
  });
}

function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (raw === '' || end === -1) return { status: 0, headers: {}, body: raw };
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: raw.slice(end + 4) };
}
