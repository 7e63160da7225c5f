// The page's entry: the hash routes (#/, #/orders/<id>, #/dead-letters, #/schemas),
// the overview's one live connection, and what each snapshot updates.

import { createCharts } from "./charts.js";
import { byTestId } from "./dom.js";
import { createDeadLetters } from "./dead-letters.js";
import { createFeed } from "./feed.js";
import { clock, num } from "./format.js";
import { connectLive } from "./live.js";
import { createOrderPage } from "./order.js";
import { createPipeline } from "./pipeline.js";
import { createPlacing } from "./place.js";
import { createSchemas } from "./schemas.js";

const views = Object.fromEntries(
  [...document.querySelectorAll("[data-view]")].map((section) => [section.dataset.view, section]));

const overview = views.overview;
const pipeline = createPipeline(byTestId("pipeline", overview));
const charts = createCharts({
  throughput: byTestId("chart-throughput", overview),
  latency: byTestId("chart-latency", overview),
  note: byTestId("history-note", overview),
});
const feed = createFeed(byTestId("order-feed", overview), byTestId("feed-empty", overview));
const placing = createPlacing(overview, (orderId) => {
  location.hash = `#/orders/${encodeURIComponent(orderId)}`;
});
const orderPage = createOrderPage(views.order);
const deadLetters = createDeadLetters(views["dead-letters"]);
const schemas = createSchemas(views.schemas);

const STATE_TEXT = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  disconnected: "disconnected",
};

function showConnection(state) {
  const badge = byTestId("connection");
  badge.dataset.state = state;
  badge.textContent = STATE_TEXT[state] ?? state;
}

function showDeadLetters(count) {
  const known = typeof count === "number";
  byTestId("dead-letter-count", overview).textContent = `dead letters: ${known ? num(count) : "–"}`;
  const badge = byTestId("nav-dead-letters");
  badge.textContent = known ? num(count) : "";
  badge.hidden = !known || count === 0;
}

function onSnapshot(snapshot) {
  pipeline.update(snapshot);
  charts.add(snapshot);
  feed.update(snapshot.orders);
  showDeadLetters(snapshot.deadLetters);
  const tp = snapshot.throughput ?? {};
  byTestId("snapshot-at", overview).textContent = `as of ${clock(snapshot.at)}`;
  byTestId("completed-now", overview).textContent =
    `now ${num(tp.completedPerSecond)} /s · placed ${num(tp.placedPerSecond)} /s`;
  byTestId("latency-now", overview).textContent = `p50 ${num(tp.p50Ms)} · p99 ${num(tp.p99Ms)}`;
}

/** The view a hash names, and its argument: unknown ones are the overview. */
function route(hash) {
  const order = /^#\/orders\/([^/]+)$/.exec(hash);
  if (order) return { view: "order", arg: decodeURIComponent(order[1]) };
  if (hash === "#/dead-letters") return { view: "dead-letters" };
  if (hash === "#/schemas") return { view: "schemas" };
  return { view: "overview" };
}

function show() {
  const { view, arg } = route(location.hash);
  if (view !== "order") orderPage.leave();
  for (const [name, section] of Object.entries(views)) section.hidden = name !== view;
  for (const link of document.querySelectorAll("nav a[data-route]")) {
    link.classList.toggle("current", link.dataset.route === view);
  }
  if (view === "overview") placing.loadStock();
  else if (view === "order") orderPage.enter(arg);
  else if (view === "dead-letters") deadLetters.enter();
  else if (view === "schemas") schemas.enter();
  window.scrollTo(0, 0);
}

window.addEventListener("hashchange", show);
show();
// The live view runs on every page (the connection state and the dead letters count
// are in the bar), so the charts have no hole when one comes back to the overview.
connectLive(onSnapshot, showConnection);
charts.seed();
