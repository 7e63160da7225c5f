// The dead letters, read when the page opens (and at Refresh): newest first, each
// with why, where it came from and the consumer group that refused it.

import { api } from "./api.js";
import { byTestId, h } from "./dom.js";
import { UNKNOWN, dateTime } from "./format.js";

const cell = (value) => h("td", {}, value === null || value === undefined ? UNKNOWN : String(value));

export function createDeadLetters(root) {
  const body = byTestId("dead-letters", root).querySelector("tbody");
  const note = byTestId("dead-letters-note", root);
  let asked = 0;

  function row(letter) {
    // The origin's partition and offset are the record that was refused; the letter's
    // own place on the dead-letter topic is in its id (the tooltip).
    return h("tr", { title: letter.id ?? "" },
      h("td", {}, h("time", { datetime: letter.time ?? "" },
        letter.timestamp ? dateTime(letter.timestamp) : letter.time ?? UNKNOWN)),
      h("td", { class: "reason" }, letter.reason ?? UNKNOWN),
      cell(letter.origin_topic),
      cell(letter.origin_partition ?? letter.partition),
      cell(letter.origin_offset ?? letter.offset),
      cell(letter.group),
      cell(letter.event_type));
  }

  async function load() {
    const mine = ++asked;
    note.textContent = "Reading the dead-letter topic…";
    try {
      const answer = await api("/api/dead-letters");
      if (mine !== asked) return;
      const letters = answer.letters ?? [];
      body.replaceChildren(...letters.map(row));
      note.textContent = letters.length
        ? `${letters.length} on ${answer.topic}, newest first.`
        : `None on ${answer.topic}.`;
    } catch (failure) {
      if (mine === asked) note.textContent = `Unavailable: ${failure.message}`;
    }
  }

  byTestId("dead-letters-refresh", root).addEventListener("click", load);
  return { enter: load };
}
