// Where each node of the pipeline goes and how each edge runs: pure, from the
// snapshot's nodes and edges alone, so a service declared tomorrow finds its place.
//
// Columns by kind, in the order the data flows: the services nobody feeds (the
// OrderService's HTTP front) → the database (Postgres outboxes) → the connector →
// the topics → the services fed by a topic (the consumers). Within a column the
// nodes keep the snapshot's order (pipeline.py lists them in flow order), and each
// column is centred on the tallest. An edge that runs left to right is a curve
// from the right side of one card to the left side of the next; an edge that runs
// back (a worker writing to its outbox) leaves its card on the right, goes down a
// lane of its own past the right of the diagram, along the bottom and up into the
// card it returns to: the loop drawn as the loop it is, nested so no two cross.

export const CARD = { width: 212, height: 80 };
const COLUMN_GAP = 58;
const ROW_GAP = 14;
const MARGIN = 12;
const LANE = 9; // between two return lanes
const LANE_CLEARANCE = 16; // from the diagram to the first return lane
const ENTRY_SPACING = 16; // between two return arcs entering one card
const CORNER = 8;

const FRONT = 0;
const CONSUMER = 4;
const COLUMN_OF_KIND = { database: 1, connector: 2, topic: 3 };

/** The column a node's kind puts it in: services (and kinds unknown to this page)
 * by whether a topic feeds them. */
export function columnOf(node, fedByTopic) {
  if (node.kind in COLUMN_OF_KIND) return COLUMN_OF_KIND[node.kind];
  return fedByTopic.has(node.id) ? CONSUMER : FRONT;
}

/** A stable key of what is drawn: the layout is made again only when it changes. */
export function signature(nodes, edges) {
  return JSON.stringify([nodes.map((n) => [n.id, n.kind]), edges.map((e) => [e.from, e.to])]);
}

/**
 * The layout of `nodes` ([{id, kind}]) and `edges` ([{from, to}]):
 * {width, height, cards: Map(id → {x, y, column, role}), edges: [{from, to, d, back}],
 *  returnLabel: {x, y} | null}.
 */
export function layout(nodes, edges) {
  const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
  const known = edges.filter((e) => kindOf.has(e.from) && kindOf.has(e.to));
  const fedByTopic = new Set(known.filter((e) => kindOf.get(e.from) === "topic").map((e) => e.to));

  // Columns with nothing in them take no room.
  const wanted = nodes.map((n) => columnOf(n, fedByTopic));
  const used = [...new Set(wanted)].sort((a, b) => a - b);
  const columns = used.map(() => []);
  nodes.forEach((n, i) => columns[used.indexOf(wanted[i])].push(n));

  const rows = Math.max(1, ...columns.map((c) => c.length));
  const bodyHeight = rows * CARD.height + (rows - 1) * ROW_GAP;
  const cards = new Map();
  columns.forEach((column, c) => {
    const blockHeight = column.length * CARD.height + (column.length - 1) * ROW_GAP;
    const top = MARGIN + (bodyHeight - blockHeight) / 2;
    column.forEach((n, r) => {
      cards.set(n.id, {
        x: MARGIN + c * (CARD.width + COLUMN_GAP),
        y: top + r * (CARD.height + ROW_GAP),
        column: c,
        role: wanted[nodes.indexOf(n)] === CONSUMER ? "consumer" : "other",
      });
    });
  });

  const forward = known.filter((e) => cards.get(e.from).column < cards.get(e.to).column);
  const back = known.filter((e) => cards.get(e.from).column >= cards.get(e.to).column);
  const right = MARGIN + Math.max(0, columns.length * (CARD.width + COLUMN_GAP) - COLUMN_GAP);
  const bottom = MARGIN + bodyHeight;

  const routed = [
    ...routeForward(forward, cards),
    ...routeBack(back, cards, right, bottom),
  ];
  const lanes = back.length;
  const width = right + (lanes ? LANE_CLEARANCE + (lanes - 1) * LANE : 0) + MARGIN;
  const height = bottom + (lanes ? LANE_CLEARANCE + (lanes - 1) * LANE + 18 : 0) + MARGIN;
  const returnLabel = lanes
    ? { x: MARGIN + CARD.width + COLUMN_GAP / 2, y: bottom + LANE_CLEARANCE + (lanes - 1) * LANE + 14 }
    : null;
  return { width, height, cards, edges: routed, returnLabel };
}

function centreY(card) {
  return card.y + CARD.height / 2;
}

// Each card's ports spread over its side, ordered by where the other end is, so that
// a fan of edges leaves (or enters) a card without crossing itself.
function ports(edges, cards, own, other) {
  const byNode = new Map();
  for (const e of edges) {
    if (!byNode.has(e[own])) byNode.set(e[own], []);
    byNode.get(e[own]).push(e);
  }
  const at = new Map();
  for (const [id, list] of byNode) {
    list.sort((a, b) => centreY(cards.get(a[other])) - centreY(cards.get(b[other])));
    const card = cards.get(id);
    list.forEach((e, i) => at.set(e, card.y + (CARD.height * (i + 1)) / (list.length + 1)));
  }
  return at;
}

function routeForward(edges, cards) {
  const out = ports(edges, cards, "from", "to");
  const into = ports(edges, cards, "to", "from");
  return edges.map((e) => {
    const x1 = cards.get(e.from).x + CARD.width;
    const x2 = cards.get(e.to).x;
    const y1 = out.get(e);
    const y2 = into.get(e);
    const mid = (x1 + x2) / 2;
    return { from: e.from, to: e.to, back: false, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` };
  });
}

function routeBack(edges, cards, right, bottom) {
  // The lowest source takes the innermost lane (right and bottom) and enters its
  // target furthest right: each arc then runs inside the next one.
  const ordered = [...edges].sort((a, b) => centreY(cards.get(b.from)) - centreY(cards.get(a.from)));
  const entering = new Map();
  for (const e of ordered) entering.set(e.to, (entering.get(e.to) ?? 0) + 1);
  const entered = new Map();
  return ordered.map((e, lane) => {
    const from = cards.get(e.from);
    const to = cards.get(e.to);
    const count = entering.get(e.to);
    const rank = entered.get(e.to) ?? 0;
    entered.set(e.to, rank + 1);
    const laneX = right + LANE_CLEARANCE + lane * LANE;
    const laneY = bottom + LANE_CLEARANCE + lane * LANE;
    const entryX = to.x + CARD.width / 2 + ((count - 1) / 2 - rank) * ENTRY_SPACING;
    const points = [
      [from.x + CARD.width, centreY(from)],
      [laneX, centreY(from)],
      [laneX, laneY],
      [entryX, laneY],
      [entryX, to.y + CARD.height],
    ];
    return { from: e.from, to: e.to, back: true, d: rounded(points, CORNER) };
  });
}

/** A polyline through `points` with its corners rounded. */
export function rounded(points, radius) {
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const [px, py] = points[i - 1];
    const [x, y] = points[i];
    const [nx, ny] = points[i + 1];
    const r = Math.min(radius, dist(px, py, x, y) / 2, dist(x, y, nx, ny) / 2);
    const [ax, ay] = toward(x, y, px, py, r);
    const [bx, by] = toward(x, y, nx, ny, r);
    d += ` L${ax},${ay} Q${x},${y} ${bx},${by}`;
  }
  const [lx, ly] = points[points.length - 1];
  return `${d} L${lx},${ly}`;
}

function dist(x1, y1, x2, y2) {
  return Math.hypot(x2 - x1, y2 - y1);
}

function toward(x, y, tx, ty, r) {
  const length = dist(x, y, tx, ty) || 1;
  return [x + ((tx - x) / length) * r, y + ((ty - y) / length) * r];
}
