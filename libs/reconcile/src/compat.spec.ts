import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Cache, Client } from '@kubeloop/runtime';
import type { HelperContext } from './context.ts';
import { OWNER_UID_INDEX } from './context.ts';

describe('runtime compatibility', () => {
  it("the runtime's Client and Cache satisfy the helpers' role interfaces", () => {
    // A compile-time check (tsc fails when the runtime's signatures drift); the runtime assertion
    // keeps the index name the runtime builds into every informer.
    expectTypeOf<{ client: Client; cache: Cache }>().toMatchTypeOf<HelperContext>();
    expect(OWNER_UID_INDEX).toBe('controllerOwnerUID');
  });
});
