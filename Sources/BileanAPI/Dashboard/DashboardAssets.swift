/// The dashboard's files (``DashboardController``), kept as string constants rather than bundle resources, so that
/// every build finds them wherever the binary is installed. Plain HTML, CSS and JavaScript: no build step, no
/// library, no inline script or style (the Content-Security-Policy forbids both).
///
/// The script shows every amount exactly as the API sends it (a decimal string); it converts amounts to numbers only
/// to size the chart's bars.
enum DashboardAssets {
    /// `GET /dashboard`: the page.
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Bilean dashboard</title>
        <link rel="stylesheet" href="/dashboard/dashboard.css">
        <script src="/dashboard/dashboard.js" defer></script>
        </head>
        <body>
        <header class="banner">
          <h1>Bilean</h1>
          <div id="session" hidden>
            <span id="who"></span>
            <button type="button" id="refresh">Refresh</button>
            <button type="button" id="sign-out">Sign out</button>
          </div>
        </header>
        <main>
          <p id="status" role="status" aria-live="polite"></p>
          <p id="error" role="alert" hidden></p>

          <section id="login" aria-labelledby="login-title">
            <h2 id="login-title">Sign in</h2>
            <form id="login-form">
              <fieldset>
                <legend>Without Keystone (<code>auth_strategy = noauth</code>)</legend>
                <p class="field">
                  <label for="project-id">Project id</label>
                  <input id="project-id" name="project" autocomplete="off" spellcheck="false">
                </p>
                <p class="field">
                  <label for="roles">Roles, comma-separated</label>
                  <input id="roles" name="roles" autocomplete="off" spellcheck="false">
                </p>
                <p class="hint">Sent as <code>X-Project-Id</code> and <code>X-Roles</code>.
                  Leave both empty to act as the cloud admin.</p>
              </fieldset>
              <fieldset>
                <legend>With Keystone (<code>auth_strategy = keystone</code>)</legend>
                <p class="field">
                  <label for="token">Token</label>
                  <input id="token" name="token" type="password" autocomplete="off" spellcheck="false">
                </p>
                <p class="hint">A token from <code>openstack token issue</code>, sent as <code>X-Auth-Token</code>.
                  Put the token's project in the project id field to see that project.</p>
              </fieldset>
              <p class="hint">Kept in this tab's session storage only.</p>
              <button type="submit" id="sign-in">Sign in</button>
            </form>
          </section>

          <section id="admin-view" aria-labelledby="admin-title" hidden>
            <h2 id="admin-title">Cloud</h2>
            <table id="users-table">
              <caption>Users (projects): real-time balance, rate per second, and when the balance runs out</caption>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="number">Balance</th>
                  <th scope="col" class="number">Rate (per s)</th>
                  <th scope="col" class="number">Credit</th>
                  <th scope="col">Runs out at (UTC)</th>
                  <th scope="col">Freezes at (UTC)</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>

            <table id="alerts-table">
              <caption>Warnings and freezes of the last 24 hours</caption>
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Project</th>
                  <th scope="col">Action</th>
                  <th scope="col">Level</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>

            <table id="rejected-table">
              <caption>Rejected notifications</caption>
              <thead>
                <tr>
                  <th scope="col">Received (UTC)</th>
                  <th scope="col">Event type</th>
                  <th scope="col">Code</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>
          </section>

          <section id="project-view" aria-labelledby="project-title" hidden>
            <h2 id="project-title">Project</h2>
            <dl id="account" class="account">
              <dt>Balance</dt><dd id="account-balance"></dd>
              <dt>Rate (per s)</dt><dd id="account-rate"></dd>
              <dt>Status</dt><dd id="account-status"></dd>
              <dt>Runs out at (UTC)</dt><dd id="account-run-out"></dd>
              <dt>Freezes at (UTC)</dt><dd id="account-freeze"></dd>
            </dl>

            <table id="resources-table">
              <caption>Resources billed now</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Type</th>
                  <th scope="col" class="number">Rate (per s)</th>
                  <th scope="col">Billed up to (UTC)</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>

            <section id="consumption" aria-labelledby="consumption-title">
              <h3 id="consumption-title">Consumption per day</h3>
              <form id="window-form" class="inline">
                <p class="field">
                  <label for="window-start">From (UTC day)</label>
                  <input id="window-start" name="start" type="date" required>
                </p>
                <p class="field">
                  <label for="window-end">To (UTC day, included)</label>
                  <input id="window-end" name="end" type="date" required>
                </p>
                <button type="submit" id="window-show">Show</button>
              </form>
              <figure>
                <div id="chart"></div>
                <figcaption id="chart-caption">Cost per UTC day and resource type.
                  The table below gives the exact figures.</figcaption>
              </figure>
              <table id="consumption-table">
                <caption>Cost per UTC day and resource type (exact)</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Resource type</th>
                    <th scope="col" class="number">Cost</th>
                  </tr>
                </thead>
                <tbody></tbody>
              </table>
            </section>
          </section>
        </main>
        </body>
        </html>
        """#

    /// `GET /dashboard/dashboard.css`: the style sheet.
    static let css = #"""
        :root {
          --ink: #1b1f24;
          --muted: #4a5360;
          --line: #c9ced6;
          --paper: #ffffff;
          --band: #f3f5f8;
          --accent: #0b5cad;
          --warn: #8a4b00;
          --bad: #a3141c;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink);
          background: var(--paper);
        }
        body { margin: 0; line-height: 1.4; }
        .banner {
          display: flex; align-items: center; justify-content: space-between; gap: 1rem;
          padding: 0.5rem 1.25rem; background: #17324d; color: #ffffff;
        }
        .banner h1 { margin: 0; font-size: 1.4rem; }
        .banner button { margin-left: 0.5rem; }
        main { padding: 0 1.25rem 2rem; max-width: 80rem; }
        h2 { margin-top: 1.5rem; border-bottom: 2px solid var(--line); padding-bottom: 0.25rem; }
        h3 { margin-top: 1.5rem; }
        fieldset { border: 1px solid var(--line); margin: 0 0 1rem; padding: 0.5rem 1rem; max-width: 40rem; }
        legend { font-weight: 600; padding: 0 0.25rem; }
        .field { display: flex; flex-direction: column; margin: 0.5rem 0; }
        .field label { font-weight: 600; margin-bottom: 0.2rem; }
        .inline { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
        .inline .field { margin: 0; }
        .inline button { margin-bottom: 0.1rem; }
        .hint { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0; }
        input {
          font: inherit; padding: 0.3rem 0.4rem; border: 1px solid #6b7480; border-radius: 3px; min-width: 16rem;
        }
        button {
          font: inherit; padding: 0.3rem 0.9rem; border-radius: 3px; cursor: pointer;
          border: 1px solid var(--accent); background: var(--accent); color: #ffffff;
        }
        button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
        .banner button { background: #ffffff; color: #17324d; border-color: #ffffff; }
        button:focus-visible, input:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
        table { border-collapse: collapse; margin: 1rem 0; min-width: 40rem; }
        caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        thead th { background: var(--band); }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        td.number, dd { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        td.empty { color: var(--muted); font-style: italic; }
        .status-WARNING { color: var(--warn); font-weight: 600; }
        .status-FREEZE { color: var(--bad); font-weight: 600; }
        #error { color: var(--bad); font-weight: 600; }
        #status { color: var(--muted); min-height: 1.4em; }
        .account { display: grid; grid-template-columns: max-content auto; gap: 0.3rem 1.5rem; margin: 1rem 0; }
        .account dt { font-weight: 600; color: var(--muted); }
        .account dd { margin: 0; font-size: 1.15rem; }
        figure { margin: 1rem 0; }
        time, td button.link { white-space: nowrap; }
        figcaption { color: var(--muted); font-size: 0.9rem; }
        #chart svg { max-width: 100%; height: auto; border: 1px solid var(--line); background: var(--paper); }
        #chart .axis { stroke: #6b7480; stroke-width: 1; }
        #chart .label { fill: var(--ink); font-size: 11px; }
        #chart .bar:hover { opacity: 0.8; }
        .series-0 { fill: #0b5cad; }
        .series-1 { fill: #b3541e; }
        .series-2 { fill: #2e7d32; }
        .series-3 { fill: #6a3d9a; }
        .series-4 { fill: #8c6d00; }
        .series-5 { fill: #00796b; }
        .series-6 { fill: #c2185b; }
        .series-7 { fill: #455a64; }
        .legend {
          display: flex; flex-wrap: wrap; gap: 1rem; margin: 0.5rem 0 0; padding: 0;
          list-style: none; font-size: 0.9rem;
        }
        .legend svg { vertical-align: middle; margin-right: 0.3rem; border: none; }
        [hidden] { display: none !important; }
        """#

    /// `GET /dashboard/dashboard.js`: the script.
    static let javaScript = #"""
        // Bilean dashboard: reads the v1 API with the caller's identity and shows what that caller may see.
        // Amounts are decimal strings from the API and are shown as they are; floats only size the chart's bars.
        "use strict";

        (function () {
          const STORAGE_KEY = "bilean.dashboard.identity";
          const REFRESH_MS = 10000;
          const SVG = "http://www.w3.org/2000/svg";
          const DAY_MS = 86400000;

          const state = { identity: null, isAdmin: false, project: null, timer: null, generation: 0 };

          function $(id) { return document.getElementById(id); }

          // ---- identity ----

          function loadIdentity() {
            try {
              const text = sessionStorage.getItem(STORAGE_KEY);
              return text ? JSON.parse(text) : null;
            } catch (error) {
              return null;
            }
          }

          function saveIdentity(identity) {
            sessionStorage.setItem(STORAGE_KEY, JSON.stringify(identity));
          }

          function requestHeaders(identity) {
            const headers = { Accept: "application/json" };
            if (identity.token) {
              headers["X-Auth-Token"] = identity.token;
            } else {
              if (identity.project) headers["X-Project-Id"] = identity.project;
              if (identity.roles) headers["X-Roles"] = identity.roles;
            }
            return headers;
          }

          function describe(identity) {
            if (identity.token) {
              return "Keystone token" + (identity.project ? ", project " + identity.project : "");
            }
            if (!identity.project && !identity.roles) return "Cloud admin (noauth, no headers)";
            return "Project " + (identity.project || "(none)") + ", roles " + (identity.roles || "(none)");
          }

          // ---- API ----

          class APIError extends Error {
            constructor(status, message) {
              super(message);
              this.status = status;
            }
          }

          async function api(path, query) {
            const url = new URL(path, window.location.origin);
            if (query) {
              for (const [name, value] of Object.entries(query)) {
                if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
              }
            }
            const response = await fetch(url, {
              headers: requestHeaders(state.identity),
              cache: "no-store",
              credentials: "omit",
            });
            const text = await response.text();
            let body = null;
            try {
              body = text ? JSON.parse(text) : null;
            } catch (error) {
              body = null;
            }
            if (!response.ok) {
              const message =
                (body && body.error && body.error.message) || (body && body.explanation) || response.statusText;
              throw new APIError(response.status, response.status + ": " + message);
            }
            return body;
          }

          // ---- rendering helpers (text only: nothing from the API is parsed as HTML) ----

          function cell(text, className) {
            const td = document.createElement("td");
            if (className) td.className = className;
            td.textContent = text === null || text === undefined ? "—" : String(text);
            return td;
          }

          function timeCell(value, emptyText) {
            const td = document.createElement("td");
            if (value) {
              const time = document.createElement("time");
              time.dateTime = value;
              time.textContent = value;
              td.appendChild(time);
            } else {
              td.textContent = emptyText || "—";
            }
            return td;
          }

          function fillTable(table, rows, emptyText) {
            const body = table.tBodies[0];
            const columns = table.tHead.rows[0].cells.length;
            body.replaceChildren();
            if (rows.length === 0) {
              const tr = document.createElement("tr");
              const td = cell(emptyText, "empty");
              td.colSpan = columns;
              tr.appendChild(td);
              body.appendChild(tr);
              return;
            }
            for (const cells of rows) {
              const tr = document.createElement("tr");
              for (const td of cells) tr.appendChild(td);
              body.appendChild(tr);
            }
          }

          function setTime(element, value, emptyText) {
            element.replaceChildren();
            if (value) {
              const time = document.createElement("time");
              time.dateTime = value;
              time.textContent = value;
              element.appendChild(time);
            } else {
              element.textContent = emptyText;
            }
          }

          function showError(error) {
            const element = $("error");
            if (error) {
              element.textContent = error.message || String(error);
              element.hidden = false;
            } else {
              element.textContent = "";
              element.hidden = true;
            }
          }

          // ---- admin view ----

          async function listAll(path, key, query) {
            const items = [];
            let marker = null;
            for (let page = 0; page < 20; page += 1) {
              const body = await api(path, Object.assign({ limit: 1000, marker: marker }, query));
              const list = body[key] || [];
              items.push(...list);
              if (list.length < 1000) break;
              marker = list[list.length - 1].id;
            }
            return items;
          }

          function statusCell(status) {
            return cell(status, "status-" + status);
          }

          function renderUsers(users) {
            fillTable($("users-table"), users.map(function (user) {
              const idCell = document.createElement("td");
              const button = document.createElement("button");
              button.type = "button";
              button.className = "link";
              button.textContent = user.id;
              button.setAttribute("aria-label", "Show project " + user.id);
              button.addEventListener("click", function () { selectProject(user.id); });
              idCell.appendChild(button);
              return [
                idCell,
                cell(user.name),
                statusCell(user.status),
                cell(user.balance, "number"),
                cell(user.rate, "number"),
                cell(user.credit, "number"),
                timeCell(user.run_out_at, "never (nothing billed)"),
                timeCell(user.freeze_at, "never (nothing billed)"),
              ];
            }), "No users yet.");
          }

          async function loadAlerts() {
            const since = new Date(Date.now() - DAY_MS).toISOString();
            const common = { start_time: since, sort_keys: "timestamp", sort_dir: "desc", limit: 1000 };
            const [warnings, freezes] = await Promise.all([
              api("/v1/events", Object.assign({ level: "WARNING" }, common)),
              api("/v1/events", Object.assign({ action: "freeze" }, common)),
            ]);
            const seen = new Map();
            for (const event of warnings.events.concat(freezes.events)) seen.set(event.id, event);
            const events = Array.from(seen.values()).sort(function (a, b) {
              return a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0;
            });
            fillTable($("alerts-table"), events.map(function (event) {
              return [
                timeCell(event.timestamp),
                cell(event.user_id),
                cell(event.action),
                cell(event.level),
                event.status ? statusCell(event.status) : cell(null),
                cell(event.status_reason),
              ];
            }), "No warnings or freezes in the last 24 hours.");
          }

          async function loadRejected() {
            const query = { sort_keys: "received_at", sort_dir: "desc", limit: 200 };
            const body = await api("/v1/rejected-notifications", query);
            fillTable($("rejected-table"), body.rejected_notifications.map(function (rejection) {
              return [
                timeCell(rejection.received_at),
                cell(rejection.event_type),
                cell(rejection.code),
                cell(rejection.reason),
              ];
            }), "No rejected notifications.");
          }

          // ---- project view ----

          async function loadProject(projectID) {
            const [userBody, resourcesBody] = await Promise.all([
              api("/v1/users/" + encodeURIComponent(projectID)),
              api("/v1/resources", { user_id: projectID, limit: 1000, sort_keys: "id" }),
            ]);
            const user = userBody.user;
            $("project-title").textContent = "Project " + user.id + (user.name ? " (" + user.name + ")" : "");
            $("account-balance").textContent = user.balance;
            $("account-rate").textContent = user.rate;
            $("account-status").textContent = user.status;
            $("account-status").className = "status-" + user.status;
            setTime($("account-run-out"), user.run_out_at, "never (nothing billed)");
            setTime($("account-freeze"), user.freeze_at, "never (nothing billed)");
            fillTable($("resources-table"), resourcesBody.resources.map(function (resource) {
              return [
                cell(resource.id),
                cell(resource.resource_type),
                cell(resource.rate, "number"),
                timeCell(resource.last_bill),
              ];
            }), "No resources.");
          }

          function utcDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

          function dayMs(text) {
            const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
            if (!match) return null;
            return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
          }

          function defaultWindow() {
            const today = dayMs(utcDay(Date.now()));
            if (!$("window-end").value) $("window-end").value = utcDay(today);
            if (!$("window-start").value) $("window-start").value = utcDay(today - 6 * DAY_MS);
          }

          async function loadChart(projectID) {
            const start = dayMs($("window-start").value);
            const end = dayMs($("window-end").value);
            if (start === null || end === null || end < start) {
              throw new Error("Choose a window whose last day is not before its first day.");
            }
            const days = [];
            for (let day = start; day <= end; day += DAY_MS) days.push(utcDay(day));
            const body = await api("/v1/consumptions/statistics", {
              user_id: projectID,
              summary: "true",
              interval: "day",
              start_time: utcDay(start) + "T00:00:00Z",
              end_time: utcDay(end + DAY_MS) + "T00:00:00Z",
            });
            const rows = body.statistics;
            renderChart(days, rows);
            fillTable($("consumption-table"), rows.map(function (row) {
              return [cell(row.day), cell(row.resource_type), cell(row.cost, "number")];
            }), "No consumption in this window.");
          }

          function svgElement(name, attributes) {
            const element = document.createElementNS(SVG, name);
            for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, String(value));
            return element;
          }

          function renderChart(days, rows) {
            const chart = $("chart");
            chart.replaceChildren();
            const types = Array.from(new Set(rows.map(function (row) { return row.resource_type; }))).sort();
            const byKey = new Map();
            for (const row of rows) byKey.set(row.day + " " + row.resource_type, row.cost);
            // Floats size the bars only; every label is the API's exact string.
            let maximum = 0;
            let maximumText = "0";
            for (const row of rows) {
              if (Number(row.cost) > maximum) {
                maximum = Number(row.cost);
                maximumText = row.cost;
              }
            }

            const left = 48, top = 28, plotHeight = 220, bottom = 36;
            const group = Math.max(24, Math.min(96, Math.floor(880 / Math.max(days.length, 1))));
            const barWidth = Math.max(4, Math.floor((group - 8) / Math.max(types.length, 1)));
            const width = left + group * days.length + 16;
            const height = top + plotHeight + bottom;
            const svg = svgElement("svg", {
              viewBox: "0 0 " + width + " " + height,
              width: width,
              height: height,
              role: "img",
              "aria-labelledby": "chart-title chart-description",
            });
            const title = svgElement("title", { id: "chart-title" });
            title.textContent = "Cost per UTC day and resource type, " + days[0] + " to " + days[days.length - 1];
            const description = svgElement("desc", { id: "chart-description" });
            description.textContent = rows.length === 0
              ? "No consumption in this window."
              : rows.map(function (row) { return row.day + " " + row.resource_type + ": " + row.cost; }).join("; ");
            svg.appendChild(title);
            svg.appendChild(description);
            const baseline = top + plotHeight;
            svg.appendChild(svgElement("line", { class: "axis", x1: left, y1: baseline, x2: width - 8, y2: baseline }));
            svg.appendChild(svgElement("line", { class: "axis", x1: left, y1: top, x2: left, y2: top + plotHeight }));

            const scale = svgElement("text", { class: "label", x: left + 4, y: top - 8 });
            scale.textContent = "Highest bar: " + maximumText;
            svg.appendChild(scale);

            days.forEach(function (day, dayIndex) {
              const x0 = left + dayIndex * group + 4;
              types.forEach(function (type, typeIndex) {
                const cost = byKey.get(day + " " + type);
                if (cost === undefined) return;
                const value = Number(cost);
                const barHeight = maximum > 0 && value > 0 ? Math.max(1, (value / maximum) * plotHeight) : 0;
                const bar = svgElement("rect", {
                  class: "bar series-" + (typeIndex % 8),
                  x: x0 + typeIndex * barWidth,
                  y: top + plotHeight - barHeight,
                  width: Math.max(1, barWidth - 1),
                  height: barHeight,
                  "data-day": day,
                  "data-resource-type": type,
                  "data-cost": cost,
                });
                const tip = svgElement("title");
                tip.textContent = day + " " + type + ": " + cost;
                bar.appendChild(tip);
                svg.appendChild(bar);
              });
              if (days.length <= 16 || dayIndex % Math.ceil(days.length / 16) === 0) {
                const label = svgElement("text", {
                  class: "label",
                  x: x0 + (group - 8) / 2,
                  y: top + plotHeight + 16,
                  "text-anchor": "middle",
                });
                label.textContent = day.slice(5);
                svg.appendChild(label);
              }
            });
            chart.appendChild(svg);

            const legend = document.createElement("ul");
            legend.className = "legend";
            legend.setAttribute("aria-label", "Resource types");
            types.forEach(function (type, index) {
              const item = document.createElement("li");
              const swatch = svgElement("svg", { width: 12, height: 12, "aria-hidden": "true", focusable: "false" });
              swatch.appendChild(svgElement("rect", { class: "series-" + (index % 8), width: 12, height: 12 }));
              item.appendChild(swatch);
              item.appendChild(document.createTextNode(type));
              legend.appendChild(item);
            });
            chart.appendChild(legend);
          }

          // ---- flow ----

          function selectProject(projectID) {
            state.project = projectID;
            refresh();
          }

          async function refresh() {
            if (!state.identity) return;
            const generation = ++state.generation;
            showError(null);
            $("status").textContent = "Loading…";
            try {
              const tasks = [];
              try {
                const users = await listAll("/v1/users", "users", { sort_keys: "id" });
                if (generation !== state.generation) return;
                state.isAdmin = true;
                renderUsers(users);
                if (!state.project && users.length > 0) state.project = users[0].id;
                tasks.push(loadAlerts(), loadRejected());
              } catch (error) {
                if (!(error instanceof APIError) || error.status !== 403) throw error;
                state.isAdmin = false;
              }
              $("admin-view").hidden = !state.isAdmin;
              if (state.project) {
                tasks.push(loadProject(state.project), loadChart(state.project));
              }
              await Promise.all(tasks);
              if (generation !== state.generation) return;
              $("project-view").hidden = !state.project;
              $("status").textContent = "Updated " + new Date().toISOString().slice(0, 19) + "Z";
              document.body.dataset.loaded = String(generation);
            } catch (error) {
              if (generation !== state.generation) return;
              $("status").textContent = "";
              showError(error);
              document.body.dataset.loaded = String(generation);
            }
          }

          function signIn(identity) {
            state.identity = identity;
            state.project = identity.project || null;
            state.isAdmin = false;
            saveIdentity(identity);
            $("who").textContent = describe(identity);
            $("login").hidden = true;
            $("session").hidden = false;
            defaultWindow();
            refresh();
            if (state.timer) clearInterval(state.timer);
            state.timer = setInterval(refresh, REFRESH_MS);
          }

          function signOut() {
            sessionStorage.removeItem(STORAGE_KEY);
            if (state.timer) clearInterval(state.timer);
            state.timer = null;
            state.identity = null;
            state.project = null;
            state.generation += 1;
            $("admin-view").hidden = true;
            $("project-view").hidden = true;
            $("session").hidden = true;
            $("login").hidden = false;
            $("status").textContent = "Signed out.";
            showError(null);
          }

          document.addEventListener("DOMContentLoaded", function () {
            $("login-form").addEventListener("submit", function (event) {
              event.preventDefault();
              signIn({
                project: $("project-id").value.trim(),
                roles: $("roles").value.trim(),
                token: $("token").value.trim(),
              });
              $("token").value = "";
            });
            $("window-form").addEventListener("submit", function (event) {
              event.preventDefault();
              refresh();
            });
            $("refresh").addEventListener("click", refresh);
            $("sign-out").addEventListener("click", signOut);
            const identity = loadIdentity();
            if (identity) signIn(identity);
          });
        })();
        """#
}
