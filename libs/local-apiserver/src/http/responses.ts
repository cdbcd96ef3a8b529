import type { ServerResponse } from 'node:http';

export function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(data)),
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  const retry = (body as { details?: { retryAfterSeconds?: number } } | undefined)?.details?.retryAfterSeconds;
  if (code >= 400 && retry && retry > 0) headers['Retry-After'] = String(retry);
  res.writeHead(code, headers);
  res.end(data);
}

export function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

export function notFoundPage(res: ServerResponse): void {
  writeText(res, 404, '404 page not found\n');
}
