/**
 * Duplicate keys of a request body, by the object JSON.parse-like parsing returned: the HTTP
 * layer records them (it has the text), decoding reports them for fieldValidation as
 * sigs.k8s.io/json's strict decoding does (`duplicate field "data"`).
 */
export const BODY_DUPLICATES = new WeakMap<object, string[]>();
