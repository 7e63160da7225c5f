// One order's page: its status, items, total, trace id and timeline (each status's
// time and the hop from the one before), followed live: the OrderService's stream of
// its statuses (/api/orders/<id>/events) says when something changed, and the page
// reads the order again then and when the stream ends. Leaving the page closes it.

import { api, path } from "./api.js";
import { byTestId, h, say } from "./dom.js";
import { TERMINAL, UNKNOWN, cents, clock, dateTime, ms, statusTone } from "./format.js";

export function createOrderPage(root) {
  const el = (id) => byTestId(id, root);
  let current = null; // {id, source, reading, again, status}

  function render(order) {
    el("order-id").textContent = order.orderId;
    const status = el("order-status");
    status.textContent = order.status;
    status.className = `status ${statusTone(order.status)}`;
    el("order-user").textContent = order.userId ?? UNKNOWN;
    el("order-items").replaceChildren(
      ...(order.items ?? []).map((item) => h("li", {}, h("code", {}, item))));
    el("order-total").textContent = cents(order.totalCents);
    el("order-created").textContent = order.createdAt ? dateTime(order.createdAt) : UNKNOWN;
    el("trace-id").textContent = order.traceId ?? UNKNOWN;
    el("order-timeline").replaceChildren(...timeline(order));
  }

  function timeline(order) {
    const history = [...(order.history ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const hops = order.hops ?? [];
    return history.map((entry, i) => {
      // hops[i - 1] runs from history[i - 1] to this one (hops.py, time order).
      const hop = i === 0 ? null : hops.find((one) => one.to === entry.status) ?? hops[i - 1];
      return h("li", { "data-status": entry.status },
        h("span", { class: `status ${statusTone(entry.status)}` }, entry.status),
        h("time", { datetime: entry.at }, clock(entry.at, { millis: true })),
        h("span", { class: "hop" }, hop ? `+${ms(hop.ms)}` : "placed"));
    });
  }

  function following(text) {
    el("order-follow").textContent = text;
  }

  // One read at a time; a change during one asks for another after it. The promise
  // is that of the reads under way, so awaiting it sees the newest order.
  function read(page) {
    page.again = true;
    if (!page.reading) page.reading = readUntilQuiet(page);
    return page.reading;
  }

  async function readUntilQuiet(page) {
    try {
      while (page.again && current === page) {
        page.again = false;
        const order = await api(path("/api/orders", page.id));
        if (current !== page) return;
        say(el("order-error"), null);
        page.status = order.status;
        render(order);
      }
    } catch (failure) {
      if (current === page) say(el("order-error"), failure.message);
    } finally {
      page.reading = null;
    }
  }

  function follow(page) {
    const source = new EventSource(path("/api/orders", page.id, "events"));
    page.source = source;
    following("following live");
    source.addEventListener("status", () => read(page));
    // The stream ends when the order is terminal (or the OrderService's timeout passes):
    // read once more, and stop there if it is finished, or the browser would open it again.
    source.addEventListener("error", async () => {
      if (current !== page) return;
      if (source.readyState === EventSource.CLOSED) {
        following("not followed (the stream was refused)");
        await read(page);
        return;
      }
      await read(page);
      if (current === page && TERMINAL.has(page.status)) {
        source.close();
        following("finished");
      } else if (current === page) {
        following("reconnecting…");
      }
    });
    source.addEventListener("open", () => {
      if (current === page) following("following live");
    });
  }

  function enter(orderId) {
    leave();
    const page = { id: orderId, source: null, reading: null, again: false, status: null };
    current = page;
    el("order-id").textContent = orderId;
    for (const id of ["order-status", "order-user", "order-total", "order-created", "trace-id"]) {
      el(id).textContent = "";
    }
    el("order-items").replaceChildren();
    el("order-timeline").replaceChildren();
    say(el("order-error"), null);
    read(page);
    follow(page);
  }

  function leave() {
    if (current?.source) current.source.close();
    current = null;
  }

  return { enter, leave };
}
