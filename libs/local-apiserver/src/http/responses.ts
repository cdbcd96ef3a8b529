import { stringify as stringifyYaml } from 'yaml';
import type { OutputMediaType } from './negotiation.ts';
import type { ServerResponse } from 'node:http';

export function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  writeEncoded(res, code, body, JSON.stringify(body), contentType, warnings);
}

/**
 * An answer in the negotiated media type. YAML is what sigs.k8s.io/yaml makes of the JSON:
 * keys sorted, sequences not indented, strings a YAML 1.1 reader would take for something else
 * (`yes`, timestamps) quoted.
 */
export function writeNegotiated(
  res: ServerResponse,
  code: number,
  body: unknown,
  mediaType: OutputMediaType,
  warnings: string[] = [],
): void {
  if (mediaType !== 'application/yaml') return writeJson(res, code, body, 'application/json', warnings);
  const text = stringifyYaml(body, { version: '1.1', indentSeq: false, sortMapEntries: true, lineWidth: 0 });
  writeEncoded(res, code, body, text, mediaType, warnings);
}

function writeEncoded(
  res: ServerResponse,
  code: number,
  body: unknown,
  data: string,
  contentType: string,
  warnings: string[],
): void {
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
