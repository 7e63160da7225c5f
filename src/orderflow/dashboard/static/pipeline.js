// The pipeline as an SVG: a card per node, drawn where pipeline-layout.js puts it,
// its numbers updated in place at each snapshot (the layout is made again only
// when the nodes or edges themselves change).

import { s } from "./dom.js";
import { UNKNOWN, ms, num, perSecond } from "./format.js";
import { CARD, layout, signature } from "./pipeline-layout.js";

const PAD_X = 12;
const LABEL_PX = 14;
const LINE_PX = 12;
const LINE_Y = [37, 55, 71];

/** Sets `element`'s text, cut with an ellipsis to what fits in `width` pixels: measured
 * when the page is shown, estimated from `px` when hidden (where nothing measures); the
 * next snapshot measures again. The whole text is in the card's tooltip. */
function fit(element, text, width, px) {
  element.textContent = text;
  const measured = element.getComputedTextLength();
  if (measured === 0) {
    const chars = Math.floor(width / (px * 0.6));
    if (text.length > chars) element.textContent = `${text.slice(0, Math.max(1, chars - 1))}…`;
    return;
  }
  if (measured <= width) return;
  let keep = Math.floor((text.length * width) / measured);
  do {
    element.textContent = `${text.slice(0, Math.max(1, keep))}…`;
    keep -= 1;
  } while (keep > 1 && element.getComputedTextLength() > width);
}

function words(text, chars) {
  const lines = [""];
  for (const word of String(text).split(" ")) {
    const last = lines[lines.length - 1];
    if (last && (last + " " + word).length > chars) lines.push(word);
    else lines[lines.length - 1] = last ? `${last} ${word}` : word;
  }
  return lines;
}

const pair = (node, prefix = "") =>
  `${prefix}p50 ${num(node.p50Ms)} · p99 ${ms(node.p99Ms)}`;

/** What a card says besides its label: its mark (ready, instances) and three lines. */
export function cardText(node, role) {
  const mark =
    node.ready === null || node.ready === undefined
      ? null
      : { text: `${node.ready ? "✓" : "✗"} ×${node.instances ?? 0}`, tone: node.ready ? "ok" : "bad" };
  const lineChars = Math.floor((CARD.width - 2 * PAD_X) / (LINE_PX * 0.56));
  const second = node.alert && node.reason
    ? { text: node.reason, tone: "bad" }
    : node.detail ? { text: node.detail, tone: "muted" } : null;
  let rest;
  switch (node.kind) {
    case "service":
      rest = role === "consumer"
        ? [{ text: `${perSecond(node.ratePerSecond)} · lag ${lagText(node)}`,
             tone: node.lagGrowing ? "bad" : "" }, { text: pair(node), tone: "" }]
        : [{ text: perSecond(node.ratePerSecond), tone: "" }, { text: pair(node), tone: "" }];
      break;
    case "connector":
      rest = [
        { text: `${perSecond(node.ratePerSecond)} · behind ${ms(node.behindMs)}`, tone: "" },
        { text: `state ${node.state ?? "not registered"}`, tone: node.state === "RUNNING" ? "ok" : "bad" },
      ];
      break;
    case "topic":
      rest = [
        { text: `${num(node.ratePerSecond)} msg/s`, tone: "" },
        { text: pair(node, "delay "), tone: "" },
      ];
      break;
    case "database": {
      // Its detail (the schemas with an outbox) is long: it gets two lines.
      const [a, ...more] = second?.tone === "bad" ? [second.text] : words(node.detail ?? "", lineChars);
      const rate = node.ratePerSecond === null || node.ratePerSecond === undefined
        ? "" : perSecond(node.ratePerSecond);
      return { mark, lines: [
        { text: a ?? "", tone: second?.tone ?? "" },
        { text: more.join(" "), tone: "muted" },
        { text: rate, tone: "" },
      ] };
    }
    default:
      rest = [{ text: perSecond(node.ratePerSecond), tone: "" }, { text: pair(node), tone: "" }];
  }
  // With nothing to say on the second line (a topic), the numbers move up.
  const lines = second ? [second, ...rest] : [...rest, { text: "", tone: "" }];
  return { mark, lines };
}

function lagText(node) {
  if (node.lag === null || node.lag === undefined) return UNKNOWN;
  return `${num(node.lag)}${node.lagGrowing ? " ↑" : ""}`;
}

function titleOf(node) {
  return [node.label, node.reason ?? node.detail].filter(Boolean).join("\n");
}

export function createPipeline(svg) {
  let drawn = null; // signature of what is drawn
  let cards = new Map(); // id → {group, title, label, mark, lines: [text…], role}
  let edgeEls = []; // [{from, to, path}]

  function rebuild(nodes, edges) {
    const placed = layout(nodes, edges);
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${placed.width} ${placed.height}`);
    svg.setAttribute("width", placed.width);
    svg.setAttribute("height", placed.height);
    svg.style.maxWidth = `${placed.width}px`;
    svg.append(
      s("defs", {},
        s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
                      markerHeight: 7, orient: "auto-start-reverse" },
          s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" })),
        s("marker", { id: "arrow-back", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
                      markerHeight: 7, orient: "auto-start-reverse" },
          s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head back" }))));
    const edgeLayer = s("g", { class: "edges" });
    edgeEls = placed.edges.map((e) => {
      const path = s("path", {
        d: e.d, class: e.back ? "edge back" : "edge", "data-edge": `${e.from}→${e.to}`,
        "marker-end": e.back ? "url(#arrow-back)" : "url(#arrow)",
      });
      edgeLayer.append(path);
      return { from: e.from, to: e.to, path };
    });
    svg.append(edgeLayer);
    if (placed.returnLabel) {
      svg.append(s("text", { class: "lane-label", x: placed.returnLabel.x, y: placed.returnLabel.y },
        "workers write their events back to their outboxes"));
    }
    const nodeLayer = s("g", { class: "nodes" });
    cards = new Map();
    for (const node of nodes) {
      const at = placed.cards.get(node.id);
      const title = s("title");
      const label = s("text", { class: "label", x: PAD_X, y: 21 });
      // Ready and instances sit at the right of the rate's line: the label keeps the width.
      const mark = s("text", { class: "mark", x: CARD.width - PAD_X, y: LINE_Y[1], "text-anchor": "end" });
      const lines = LINE_Y.map((y) => s("text", { class: "line", x: PAD_X, y }));
      const group = s("g", {
        "data-node": node.id, "data-kind": node.kind, "data-alert": "false",
        class: `node kind-${node.kind}`, transform: `translate(${at.x},${at.y})`,
      },
        title,
        s("rect", { class: "card", width: CARD.width, height: CARD.height, rx: 8 }),
        s("rect", { class: "stripe", width: 4, height: CARD.height - 16, x: 0, y: 8, rx: 2 }),
        label, mark, ...lines);
      nodeLayer.append(group);
      cards.set(node.id, { group, title, label, mark, lines, role: at.role });
    }
    svg.append(nodeLayer);
  }

  function update(snapshot) {
    const nodes = Array.isArray(snapshot.nodes) ? snapshot.nodes : [];
    const edges = Array.isArray(snapshot.edges) ? snapshot.edges : [];
    const key = signature(nodes, edges);
    if (key !== drawn) {
      rebuild(nodes, edges);
      drawn = key;
    }
    const rates = new Map(nodes.map((n) => [n.id, n.ratePerSecond]));
    for (const node of nodes) {
      const card = cards.get(node.id);
      const text = cardText(node, card.role);
      card.group.setAttribute("data-alert", node.alert ? "true" : "false");
      card.title.textContent = titleOf(node);
      const markText = text.mark ? text.mark.text : "";
      card.mark.textContent = markText;
      card.mark.setAttribute("class", `mark ${text.mark ? text.mark.tone : ""}`);
      const markWidth = markText ? card.mark.getComputedTextLength() || markText.length * 8 : 0;
      fit(card.label, node.label ?? node.id, CARD.width - 2 * PAD_X, LABEL_PX);
      text.lines.forEach((line, i) => {
        const room = CARD.width - 2 * PAD_X - (i === 1 && markWidth ? markWidth + 8 : 0);
        fit(card.lines[i], line.text, room, LINE_PX);
        card.lines[i].setAttribute("class", `line ${line.tone}`);
      });
    }
    // An edge is drawn as carrying traffic while either end says something passes.
    for (const e of edgeEls) {
      const flowing = (rates.get(e.from) ?? 0) > 0 || (rates.get(e.to) ?? 0) > 0;
      e.path.classList.toggle("flowing", flowing);
    }
  }

  return { update };
}
