/**
 * Cases that still differ from kube-apiserver and are not deliberate (deliberate differences are
 * `deviation`s in the cases, with their reason): each says what is left. The replay fails when a
 * listed case starts to match, so the list only shrinks. Print what differs with
 * `npm run conformance:report -- --only <case> --verbose`.
 */
export const KNOWN_DIFFERENCES: Record<string, string> = {};
