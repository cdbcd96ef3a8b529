import type { KubeObject, ResourceType, StoreEvent } from '../types.ts';

/**
 * A store event's object (or old object) as `rt` serves it, computed once per event and type
 * and shared by every watch of that type: with W watchers an event costs one copy and one
 * defaulting, not W. Watch events are read-only for their consumers (they only serialize them).
 */
export class EventViews {
  /** The store event whose presentations `views` holds (events are dispatched one at a time). */
  private viewEvent: StoreEvent | undefined;
  private views = new Map<ResourceType, { cur?: KubeObject; old?: KubeObject }>();

  constructor(private readonly presentAs: (rt: ResourceType, stored: KubeObject) => KubeObject) {}

  present(e: StoreEvent, rt: ResourceType, old: boolean): KubeObject {
    if (this.viewEvent !== e) {
      this.viewEvent = e;
      this.views = new Map();
    }
    let v = this.views.get(rt);
    if (!v) this.views.set(rt, (v = {}));
    if (old) return (v.old ??= this.presentAs(rt, e.oldObject!));
    return (v.cur ??= this.presentAs(rt, e.object));
  }
}
