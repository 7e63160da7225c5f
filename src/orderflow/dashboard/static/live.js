// The one EventSource of the overview: /api/live, a snapshot at once and then one
// per refresh. The browser reconnects by itself after a dropped connection; only an
// answer that is not a stream (the dashboard restarting behind a proxy, a 5xx)
// closes it for good, and then it is opened again after a pause that grows.

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 60000;

/** Calls onSnapshot(snapshot) for each snapshot and onState("connecting" | "live" |
 * "reconnecting" | "disconnected") as the connection changes. */
export function connectLive(onSnapshot, onState) {
  let retryMs = FIRST_RETRY_MS;

  function open() {
    const source = new EventSource("/api/live");
    onState("connecting");
    source.addEventListener("open", () => {
      retryMs = FIRST_RETRY_MS;
      onState("live");
    });
    source.addEventListener("snapshot", (event) => {
      let snapshot;
      try {
        snapshot = JSON.parse(event.data);
      } catch {
        return; // a torn line: the next snapshot comes in a moment
      }
      onState("live");
      onSnapshot(snapshot);
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) {
        onState("disconnected");
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
      } else {
        onState("reconnecting");
      }
    });
  }

  open();
}
