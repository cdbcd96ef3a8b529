/**
 * String formats a CRD schema may declare (apiextensions-apiserver's supported set). Unknown
 * formats are ignored, as on the real server, which strips them before validating. The checks
 * follow the Go parsers the real server uses (net.ParseIP, time.Parse RFC 3339, ...) closely
 * enough for the values operators write; exotic edge cases of those parsers are not modelled.
 */
import { isIP } from 'node:net';

const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeRe = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const hostnameRe =
  /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const macRe = /^(?:[0-9a-fA-F]{2}([:-]))(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}$|^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/;
const emailRe = /^[^\s@<>]+@[^\s@<>]+$/;
const byteRe = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const durationRe = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^0$/;
const scalaDurationRe =
  /^\d+\s*(?:ns|nano|nanos|nanosecond|nanoseconds|us|micro|micros|microsecond|microseconds|ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|wk|wks|week|weeks)$/;
const hexColorRe = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const rgbColorRe = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/;
const ssnRe = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const bsonRe = /^[0-9a-fA-F]{24}$/;
const shortNameRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const longNameRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function isDate(s: string): boolean {
  const m = dateRe.exec(s);
  return !!m && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isDateTime(s: string): boolean {
  const m = dateTimeRe.exec(s);
  if (!m) return false;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
}

function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const family = isIP(ip);
  if (!family || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isUri(s: string): boolean {
  // Go's url.ParseRequestURI: an absolute URI or an absolute path.
  if (s.startsWith('/')) return !/\s/.test(s);
  try {
    new URL(s);
    return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
  } catch {
    return false;
  }
}

function isbn10(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{9}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d[i] === 'X' ? 10 : Number(d[i])) * (10 - i);
  return sum % 11 === 0;
}

function isbn13(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

const checks: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => bsonRe.test(s),
  uri: isUri,
  email: (s) => emailRe.test(s),
  hostname: (s) => hostnameRe.test(s),
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  cidr: isCidr,
  mac: (s) => macRe.test(s),
  uuid: (s) => uuidRe.test(s),
  uuid3: (s) => uuid3Re.test(s),
  uuid4: (s) => uuid4Re.test(s),
  uuid5: (s) => uuid5Re.test(s),
  isbn: (s) => isbn10(s) || isbn13(s),
  isbn10,
  isbn13,
  creditcard: (s) =>
    /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/.test(
      s.replace(/\D/g, ''),
    ),
  ssn: (s) => ssnRe.test(s),
  hexcolor: (s) => hexColorRe.test(s),
  rgbcolor: (s) => {
    const m = rgbColorRe.exec(s);
    return !!m && [m[1], m[2], m[3]].every((v) => Number(v) <= 255);
  },
  byte: (s) => byteRe.test(s),
  password: () => true,
  date: isDate,
  duration: (s) => durationRe.test(s) || scalaDurationRe.test(s),
  datetime: isDateTime,
  'k8s-short-name': (s) => s.length <= 63 && shortNameRe.test(s),
  'k8s-long-name': (s) => s.length <= 253 && longNameRe.test(s),
};

/** Normalised registry name: the real registry ignores dashes/underscores except for k8s-*. */
function normalise(format: string): string {
  if (format.startsWith('k8s-')) return format;
  return format.replace(/[-_]/g, '').toLowerCase();
}

/** True when the format is one the real server validates. */
export function isKnownFormat(format: string): boolean {
  return normalise(format) in checks;
}

/** True when `value` satisfies `format`; unknown formats always pass. */
export function checkFormat(format: string, value: string): boolean {
  const check = checks[normalise(format)];
  return check ? check(value) : true;
}
