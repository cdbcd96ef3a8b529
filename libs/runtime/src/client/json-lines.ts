import { StringDecoder } from 'node:string_decoder';

export class MalformedStreamError extends Error {
  readonly code = 'MalformedStream';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStreamError';
  }
}

/**
 * Splits a watch stream into JSON values, one per line. Chunks arrive cut anywhere, including
 * inside a multi-byte UTF-8 character, so decoding is stateful; blank lines are skipped.
 */
export class JsonLineDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer | string): unknown[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.flatMap((line) => parseLine(line));
  }

  /** The stream ended: a final line without a newline still counts. */
  end(): unknown[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return parseLine(rest);
  }
}

function parseLine(line: string): unknown[] {
  const trimmed = line.trim();
  if (trimmed === '') return [];
  try {
    return [JSON.parse(trimmed)];
  } catch {
    throw new MalformedStreamError(`watch stream: not a JSON line: ${trimmed.slice(0, 200)}`);
  }
}
