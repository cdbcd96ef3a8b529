import { describe, expect, it } from 'vitest';
import { Guestbook, type GuestbookObject } from '../api/v1/guestbook.ts';
import { guestbookStatus } from './guestbook-status.ts';

const guestbook = (generation: number, status?: GuestbookObject['status']): GuestbookObject => ({
  apiVersion: Guestbook.apiVersion,
  kind: Guestbook.kind,
  metadata: { name: 'g', namespace: 'ns', generation },
  spec: { size: 3, configMapName: 'myconfig', alias: 'Address' },
  ...(status ? { status } : {}),
});

describe('guestbookStatus', () => {
  it('Ready=True for the generation seen, with no active or standby node (none runs)', () => {
    const status = guestbookStatus(guestbook(4));
    expect(status).toMatchObject({ active: '', standby: [], observedGeneration: 4 });
    expect(status.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'Reconciled',
        message: 'size 3, configuration in ConfigMap myconfig',
        observedGeneration: 4,
      }),
    ]);
  });

  it('keeps the transition time of a Ready that stays True, and moves observedGeneration on', () => {
    const first = guestbookStatus(guestbook(1));
    first.conditions![0]!.lastTransitionTime = '2026-01-01T00:00:00Z';
    const later = guestbookStatus(guestbook(2, first));
    expect(later.observedGeneration).toBe(2);
    expect(later.conditions![0]!.observedGeneration).toBe(2);
    expect(later.conditions![0]!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });
});
