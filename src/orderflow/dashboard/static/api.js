// The dashboard's JSON API: one function, errors as ApiError carrying the API's message.

export class ApiError extends Error {
  constructor(status, body, message) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function messageOf(status, body) {
  if (body && typeof body.message === "string" && body.message) return body.message;
  // FastAPI's own shape, should a route answer with it.
  if (body && typeof body.detail === "string") return body.detail;
  if (body && Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
  return `the dashboard answered HTTP ${status}`;
}

/** The answer's JSON body; an ApiError for a non-2xx answer or no answer at all. */
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let answer;
  try {
    answer = await fetch(path, init);
  } catch {
    throw new ApiError(0, null, "the dashboard does not answer");
  }
  let data = null;
  try {
    data = await answer.json();
  } catch {
    // not JSON: the status says enough
  }
  if (!answer.ok) throw new ApiError(answer.status, data, messageOf(answer.status, data));
  return data;
}

export function path(...parts) {
  return parts.map((part, i) => (i === 0 ? part : encodeURIComponent(part))).join("/");
}
