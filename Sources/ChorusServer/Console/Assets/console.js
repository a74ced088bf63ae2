// The Chorus debug console: plain JavaScript, no framework, nothing loaded from elsewhere.
// The token stays in this page's memory: it goes in an Authorization header on every fetch, and is
// traded for a short-lived HttpOnly session cookie for the EventSource (which cannot send headers).
"use strict";

const MAX_LOG_ROWS = 500;
const state = { token: null, appID: null, source: null, notShown: 0 };

function byID(id) {
  return document.getElementById(id);
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function call(path, options = {}) {
  const headers = Object.assign({ Authorization: `Bearer ${state.token}` }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  return { ok: response.ok, status: response.status, body };
}

function setStatus(text, live) {
  const status = byID("status");
  status.textContent = text;
  status.classList.toggle("live", Boolean(live));
}

async function signIn(event) {
  event.preventDefault();
  state.token = byID("token").value;
  const error = byID("login-error");
  const session = await call("/console/session", { method: "POST" });
  if (!session.ok) {
    state.token = null;
    error.textContent = session.status === 401 ? "Wrong token: the server refused it." : `Cannot sign in (${session.status}).`;
    error.hidden = false;
    return;
  }
  error.hidden = true;
  byID("token").value = "";
  const apps = await call("/console/apps");
  const select = byID("app");
  select.replaceChildren();
  for (const app of apps.body.apps) {
    const option = document.createElement("option");
    option.value = app.id;
    option.textContent = `${app.id} (${app.key})${app.enabled ? "" : " – disabled"}`;
    select.append(option);
  }
  byID("login").hidden = true;
  byID("console").hidden = false;
  openStream(select.value);
}

function signOut(message) {
  if (state.source) state.source.close();
  state.source = null;
  state.token = null;
  byID("console").hidden = true;
  byID("login").hidden = false;
  const error = byID("login-error");
  error.textContent = message || "";
  error.hidden = !message;
  setStatus("signed out", false);
}

function openStream(appID) {
  if (state.source) state.source.close();
  state.appID = appID;
  const source = new EventSource(`/console/apps/${encodeURIComponent(appID)}/stream`);
  state.source = source;
  setStatus("connecting…", false);
  source.addEventListener("open", () => setStatus("live", true));
  source.addEventListener("state", (event) => renderState(JSON.parse(event.data)));
  source.addEventListener("log", (event) => addEntries(JSON.parse(event.data)));
  source.addEventListener("error", () => reconnect(source));
}

// EventSource retries by itself while the server is reachable; once it gives up (the session
// ended, or the server refused it), open a new session with the token and start again.
async function reconnect(source) {
  if (source !== state.source) return;
  setStatus("reconnecting…", false);
  if (source.readyState !== EventSource.CLOSED) return;
  const session = await call("/console/session", { method: "POST" }).catch(() => null);
  if (source !== state.source) return;
  if (session && session.status === 401) return signOut("The server no longer accepts this token.");
  setTimeout(() => {
    if (source === state.source) openStream(state.appID);
  }, 1000);
}

function renderState(snapshot) {
  byID("connections").textContent = snapshot.connections;
  byID("connections-scope").textContent = snapshot.cluster ? "this node" : "";
  byID("channel-count").textContent = snapshot.channels.length + snapshot.channels_not_listed;
  const rows = snapshot.channels.map((channel) => {
    const row = document.createElement("tr");
    row.className = "channel-row";
    row.dataset.channel = channel.name;
    row.append(
      cell(channel.name),
      cell(String(channel.subscription_count), "subscriptions"),
      cell(channel.user_count === undefined ? "–" : String(channel.user_count), "users"),
    );
    return row;
  });
  byID("channels").tBodies[0].replaceChildren(...rows);
  const more = byID("channels-more");
  more.hidden = snapshot.channels_not_listed === 0;
  more.textContent = `${snapshot.channels_not_listed} more channels not listed`;
  const presence = snapshot.channels.filter((channel) => channel.members);
  const blocks = presence.flatMap((channel) => {
    const name = document.createElement("p");
    name.className = "roster-name";
    name.textContent = `${channel.name} (${channel.user_count})`;
    const list = document.createElement("ul");
    list.className = "roster";
    list.dataset.channel = channel.name;
    for (const member of channel.members) {
      const item = document.createElement("li");
      item.className = "member";
      item.textContent = member.info === null ? member.id : `${member.id} ${JSON.stringify(member.info)}`;
      list.append(item);
    }
    return [name, list];
  });
  if (blocks.length === 0) {
    const none = document.createElement("p");
    none.className = "note";
    none.textContent = "No presence channel is occupied.";
    blocks.push(none);
  }
  byID("presence").replaceChildren(...blocks);
}

function matchesFilters(row) {
  const channel = byID("filter-channel").value.trim();
  const name = byID("filter-event").value.trim();
  return (!channel || row.dataset.channel.includes(channel)) && (!name || row.dataset.event.includes(name));
}

function addEntries(log) {
  const body = byID("log").tBodies[0];
  for (const entry of log.entries) {
    const row = document.createElement("tr");
    row.className = "log-row";
    row.dataset.channel = entry.channel;
    row.dataset.event = entry.event;
    row.dataset.kind = entry.kind;
    const kind = document.createElement("span");
    const failed = entry.kind === "webhook" && !entry.detail.startsWith("delivered");
    kind.className = `kind kind-${entry.kind}${failed ? " kind-webhook-failed" : ""}`;
    kind.textContent = entry.kind.replace("_", " ");
    const kindCell = document.createElement("td");
    kindCell.append(kind);
    row.append(
      cell(new Date(entry.time).toISOString().slice(11, 23)),
      kindCell,
      cell(entry.channel),
      cell(entry.event),
      cell(entry.data, "data"),
      cell(entry.detail),
    );
    row.hidden = !matchesFilters(row);
    body.prepend(row);
  }
  while (body.rows.length > MAX_LOG_ROWS) body.deleteRow(body.rows.length - 1);
  state.notShown += log.not_shown;
  byID("not-shown").textContent = state.notShown > 0 ? `${state.notShown} events not shown` : "";
}

function applyFilters() {
  for (const row of byID("log").tBodies[0].rows) row.hidden = !matchesFilters(row);
}

async function trigger(event) {
  event.preventDefault();
  const result = byID("trigger-result");
  const body = {
    name: byID("trigger-event").value,
    channel: byID("trigger-channel").value,
    data: byID("trigger-data").value,
  };
  const answer = await call(`/console/apps/${encodeURIComponent(state.appID)}/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  result.className = answer.ok ? "note" : "error";
  result.textContent = answer.ok
    ? `Triggered ${body.name} on ${body.channel}`
    : `Refused (${answer.status}): ${answer.body ? answer.body.error : "no answer"}`;
  if (answer.status === 401) signOut("The server no longer accepts this token.");
}

document.addEventListener("DOMContentLoaded", () => {
  byID("login-form").addEventListener("submit", signIn);
  byID("trigger-form").addEventListener("submit", trigger);
  byID("app").addEventListener("change", (event) => {
    byID("log").tBodies[0].replaceChildren();
    state.notShown = 0;
    byID("not-shown").textContent = "";
    openStream(event.target.value);
  });
  byID("filter-channel").addEventListener("input", applyFilters);
  byID("filter-event").addEventListener("input", applyFilters);
  byID("clear-log").addEventListener("click", () => byID("log").tBodies[0].replaceChildren());
  byID("sign-out").addEventListener("click", () => signOut(""));
});
