/**
 * `/metrics` on the headless host: the system monitor in Prometheus' text
 * format, for a scraper. It carries figures about the trader's venues and
 * machine, so it is behind the same token as everything else, given as
 * `Authorization: Bearer <token>` (what Prometheus' `authorization` setting
 * sends) or `?token=`; without it the answer is 401 and no figures.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../monitor/prometheus';
import { sendText } from './staticFiles';

export const METRICS_PATH = '/metrics';

/** The bearer token of an Authorization header, or null when it has none. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  options: { authorized: (given: string | null) => boolean; render: () => string; headers: OutgoingHttpHeaders },
): void {
  const given = [bearerToken(req.headers.authorization), query.get('token')].filter((t): t is string => t !== null);
  if (given.length === 0 || !given.some((token) => options.authorized(token))) {
    sendText(res, 401, 'Unauthorized: send the access token as "Authorization: Bearer <token>" or ?token=<token>.', {
      ...options.headers,
      'WWW-Authenticate': 'Bearer realm="keel"',
    });
    return;
  }
  const body = Buffer.from(options.render(), 'utf8');
  res.writeHead(200, { ...options.headers, 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
