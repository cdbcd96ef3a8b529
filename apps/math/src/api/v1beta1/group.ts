/** The group of the original tutorial system, kept so its sample YAMLs apply unchanged. */
export const GROUP = 'math.potsbo.k8s.wantedly.com';
export const VERSION = 'v1beta1';
export const CATEGORIES = ['kubeloop', 'math'];

/**
 * ±(2^53−1): the schema's int64 bounds, narrowed so that every admitted value is exact as a
 * JavaScript number. The API server refuses anything beyond with a field error, before any
 * controller could lose precision.
 */
export const MAX_VALUE = Number.MAX_SAFE_INTEGER;
