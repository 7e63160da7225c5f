// How numbers, times and statuses read on the page. Unknown (null) is "–", never 0.

export const UNKNOWN = "–";

// The terminal statuses (services/order/status.py TERMINAL): an order followed to
// one of these is finished, and its stream ends.
export const TERMINAL = new Set(["Paid", "Inventory Failed", "Cancelled"]);
const FAILED = new Set(["Inventory Failed", "Cancelled"]);

/** "done" (green), "failed" (red) or "flight" (neutral): the class a status is drawn with. */
export function statusTone(status) {
  if (status === "Paid") return "done";
  if (FAILED.has(status)) return "failed";
  return "flight";
}

function known(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/** 0.25, 3.1, 12, 1,250: a decimal only where it matters. */
export function num(value) {
  if (!known(value)) return UNKNOWN;
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 1) return value.toFixed(2);
  if (abs < 10) return value.toFixed(1).replace(/\.0$/, "");
  return Math.round(value).toLocaleString("en");
}

export function ms(value) {
  return known(value) ? `${num(value)} ms` : UNKNOWN;
}

export function perSecond(value) {
  return `${num(value)} /s`;
}

export function cents(value) {
  return known(value) ? (value / 100).toFixed(2) : UNKNOWN;
}

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

/** 16:40:00 in the browser's time zone; with milliseconds when asked. */
export function clock(iso, { millis = false } = {}) {
  const at = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(at.getTime())) return UNKNOWN;
  const base = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return millis ? `${base}.${pad(at.getMilliseconds(), 3)}` : base;
}

/** 2026-12-03 16:40:00 in the browser's time zone. */
export function dateTime(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return UNKNOWN;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock(at)}`;
}

/** The end of a UUIDv7 order id: its start is the time, the same for orders placed together. */
export function shortId(id) {
  return typeof id === "string" && id.length > 8 ? `…${id.slice(-8)}` : String(id ?? UNKNOWN);
}
