// Placing an order from the page: the form, its three presets (each fills the form;
// the submit button places it), the "no money" path (the balance set to 0 before
// the POST), and the stock list with a restock button per item.

import { api, path } from "./api.js";
import { byTestId, h, say } from "./dom.js";
import { cents } from "./format.js";

const RESTOCK_TO = 10;

function freshUser() {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `broke-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const PRESETS = {
  paid: () => ({ userId: "123", items: "item1", noMoney: false }),
  "no-stock": () => ({ userId: "123", items: "item3", noMoney: false }),
  "no-money": () => ({ userId: freshUser(), items: "item1", noMoney: true }),
};

export function createPlacing(root, onPlaced) {
  const form = root.querySelector("#place-order");
  const error = byTestId("form-error", root);
  const stockTable = byTestId("stock", root);
  const stockBody = stockTable.querySelector("tbody");
  const stockNote = byTestId("stock-note", root);
  const submit = form.querySelector('button[type="submit"]');

  for (const button of root.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => {
      const preset = PRESETS[button.dataset.preset]?.();
      if (!preset) return;
      form.elements.userId.value = preset.userId;
      form.elements.items.value = preset.items;
      form.elements.noMoney.checked = preset.noMoney;
      say(error, null);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(error, null);
    const userId = form.elements.userId.value.trim();
    const items = form.elements.items.value.split(",").map((i) => i.trim()).filter(Boolean);
    submit.disabled = true;
    try {
      if (form.elements.noMoney.checked) {
        if (!userId) throw new Error("userId: a user is needed to set their balance to 0");
        await api(path("/api/users", userId, "balance"), { method: "PUT", body: { cents: 0 } });
      }
      const placed = await api("/api/orders", { method: "POST", body: { userId, items } });
      onPlaced(placed.orderId);
    } catch (failure) {
      say(error, failure.message);
    } finally {
      submit.disabled = false;
    }
  });

  function stockRow(item) {
    const button = h("button", { type: "button", class: "small", "data-restock": item.itemId },
      `Restock to ${RESTOCK_TO}`);
    button.addEventListener("click", async () => {
      say(error, null);
      button.disabled = true;
      try {
        const level = await api(path("/api/stock", item.itemId), {
          method: "PUT", body: { available: RESTOCK_TO },
        });
        tr.replaceWith(stockRow(level));
      } catch (failure) {
        say(error, failure.message);
        button.disabled = false;
      }
    });
    const low = typeof item.available === "number" && item.available === 0;
    const tr = h("tr", { "data-item": item.itemId, class: low ? "empty" : null },
      h("td", {}, h("code", {}, item.itemId)),
      h("td", { class: "n" }, String(item.available ?? "–")),
      h("td", { class: "n" }, String(item.reserved ?? "–")),
      h("td", { class: "n" }, cents(item.priceCents)),
      h("td", {}, button));
    return tr;
  }

  async function loadStock() {
    try {
      const stock = await api("/api/stock");
      const items = stock.items ?? [];
      stockBody.replaceChildren(...items.map(stockRow));
      stockTable.hidden = items.length === 0;
      say(stockNote, items.length ? null : "No items in stock yet.");
    } catch (failure) {
      stockTable.hidden = stockBody.children.length === 0;
      say(stockNote, `Stock unavailable: ${failure.message}`);
    }
  }

  byTestId("stock-refresh", root).addEventListener("click", loadStock);
  return { loadStock };
}
