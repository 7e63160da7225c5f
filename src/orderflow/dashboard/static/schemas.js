// The Schema Registry's subjects, each version and its schema as indented JSON,
// read when the page opens (and at Refresh).

import { api } from "./api.js";
import { byTestId, h } from "./dom.js";

export function createSchemas(root) {
  const list = byTestId("schemas", root);
  const note = byTestId("schemas-note", root);
  let asked = 0;

  function subject(one) {
    const versions = one.versions ?? [];
    return h("section", { class: "subject", "data-subject": one.subject },
      h("h3", {}, one.subject, h("span", { class: "muted" },
        ` · ${versions.length} version${versions.length === 1 ? "" : "s"}`)),
      ...versions.map((version) =>
        h("details", { open: true, "data-version": version.version },
          h("summary", {}, `version ${version.version} · id ${version.id}`),
          h("pre", {}, JSON.stringify(version.schema, null, 2)))));
  }

  async function load() {
    const mine = ++asked;
    note.textContent = "Asking the registry…";
    try {
      const answer = await api("/api/schemas");
      if (mine !== asked) return;
      const subjects = answer.subjects ?? [];
      list.replaceChildren(...subjects.map(subject));
      note.textContent = subjects.length ? "" : "No subjects registered yet.";
    } catch (failure) {
      if (mine === asked) note.textContent = `Unavailable: ${failure.message}`;
    }
  }

  byTestId("schemas-refresh", root).addEventListener("click", load);
  return { enter: load };
}
