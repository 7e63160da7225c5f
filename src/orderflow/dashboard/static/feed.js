// The live order feed: the snapshot's newest orders, newest first, each a link to
// its page, its status coloured (Paid green, failed red, in flight neutral).

import { h } from "./dom.js";
import { clock, shortId, statusTone } from "./format.js";

export function createFeed(list, empty) {
  const seen = new Set();
  let first = true;

  function row(order) {
    const fresh = !first && !seen.has(order.orderId);
    seen.add(order.orderId);
    const items = Array.isArray(order.items) ? order.items.join(", ") : "";
    return h("li", { class: fresh ? "fresh" : null },
      h("a", { href: `#/orders/${encodeURIComponent(order.orderId)}`, "data-order-id": order.orderId,
               title: order.orderId },
        h("span", { class: `status ${statusTone(order.status)}`, "data-status": order.status }, order.status),
        h("code", { class: "id" }, shortId(order.orderId)),
        h("span", { class: "who" }, `user ${order.userId}`),
        h("span", { class: "what" }, items),
        h("time", { datetime: order.updatedAt ?? order.createdAt }, clock(order.updatedAt ?? order.createdAt))));
  }

  function update(orders) {
    const list_ = Array.isArray(orders) ? orders : [];
    list.replaceChildren(...list_.map(row));
    empty.hidden = list_.length > 0;
    first = false;
    // Only ids still shown are worth remembering.
    const shown = new Set(list_.map((o) => o.orderId));
    for (const id of seen) if (!shown.has(id)) seen.delete(id);
  }

  return { update };
}
