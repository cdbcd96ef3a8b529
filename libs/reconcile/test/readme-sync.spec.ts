import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('the README example is exactly test/readme-example.spec.ts', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const example = readFileSync(join(import.meta.dirname, 'readme-example.spec.ts'), 'utf8');
  const block = /## A complete parent controller[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(example);
});
