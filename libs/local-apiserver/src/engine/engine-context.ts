import type { AdmissionModule, CrdSchemaModule, KubeObject, ResourceType } from '../types.ts';
import type { ConversionModule } from '../conversion/conversion.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Registry } from '../registry/registry.ts';
import type { StrategyContext } from '../registry/strategy.ts';
import type { EventViews } from './event-views.ts';

/**
 * What the verb handlers (src/endpoints/handlers) share: the store, the registry of served types
 * and their strategies, and the optional admission and CRD-schema modules. ApiEngine is the one
 * implementation; handlers take this interface so that each can be read on its own.
 */
export interface EngineContext {
  readonly store: ObjectStore;
  readonly registry: Registry;
  /** Admission webhooks (src/admission); without it every request is admitted. */
  admission?: AdmissionModule;
  /** Structural checks of CRDs on create/update (src/crd-schema). */
  crdSchema?: CrdSchemaModule;
  /** Conversion webhooks of multi-version CRDs (src/conversion); the lib's own by default. */
  conversion?: ConversionModule;
  /** Presentations of the store event being dispatched, shared by every watch. */
  readonly eventViews: EventViews;
  /** A stored object as `rt` serves it (present.ts); one method so that every presentation is counted in one place. */
  present(rt: ResourceType, stored: KubeObject): KubeObject;
}

export function strategyContext(ctx: EngineContext): StrategyContext {
  return { store: ctx.store, now: new Date() };
}
