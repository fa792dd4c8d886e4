// Partnerbord: a school's, GP's or JGZ's view of the hub — no framework, no build step.
// GraphQL over HTTP (POST /graphql) and live changes over WebSocket with a small
// graphql-transport-ws client (the protocol graphql-ws speaks). Every text from the hub is
// rendered with textContent, never as HTML. Operations are marked gql``:
// test/partner-board.test.ts validates every one of them against schema/schema.graphql.
"use strict";
(() => {
  const gql = (s, ...values) => String.raw(s, ...values);

  const AGREEMENT = `id version priority what criterion dueOn status responsibleKind responsibleDescription
    responsibleOrganisation { id name } reportTo { id name } updatedAt`;
  const Q_ME = gql`query BoardMe { me { email name role organisation { id name } } }`;
  const Q_CASES = gql`query BoardCases($first: Int, $after: String) { cases(first: $first, after: $after) {
    edges { node { id status family { name members { id kind givenName } }
      regisseur { professional { name email phone organisation { name phone } } }
      safetyPlan { whomToCall agreements { ${AGREEMENT} } } } }
    pageInfo { endCursor hasNextPage } } }`;
  const Q_MEETINGS = gql`query BoardMeetings($first: Int) { cases(first: $first) { edges { node { id
    meetings { id kind scheduledAt location agenda status invitees { id name } } } } } }`;
  const Q_SEEN = gql`query BoardSeen($id: ID!) { case(id: $id) { id safetyPlan { agreements { id
    seenBy { organisation { name } version current } } } } }`;
  const M_SEEN = gql`mutation BoardMarkSeen($input: MarkSafetyAgreementSeenInput!) {
    markSafetyAgreementSeen(input: $input) { id version } }`;
  const M_SIGNAL = gql`mutation BoardReportSignal($input: ReportSignalInput!) {
    reportSignal(input: $input) { id urgency observedOn } }`;
  const S_CHANGES = gql`subscription BoardChanges($after: String) { myChanges(after: $after) {
    id kind caseId occurredAt actor { name organisation { name } }
    subject { __typename ... on SafetyAgreement { ${AGREEMENT} } } } }`;

  const $ = (id) => document.getElementById(id);
  const KIND = {
    CASE_OPENED: "Casus geopend", CASE_CLOSED: "Casus afgesloten", HANDOVER_CREATED: "Overdracht vastgelegd",
    HANDOVER_UPDATED: "Overdracht gewijzigd", INVOLVEMENT_STARTED: "Organisatie betrokken", INVOLVEMENT_ENDED: "Betrokkenheid beëindigd",
    FAMILY_MEMBER_ADDED: "Gezinslid toegevoegd", FAMILY_MEMBER_UPDATED: "Gezinslid gewijzigd",
    SAFETY_PLAN_CREATED: "Veiligheidsplan gemaakt", SAFETY_PLAN_UPDATED: "Veiligheidsplan gewijzigd",
    SAFETY_AGREEMENT_UPDATED: "Afspraak gewijzigd", SAFETY_AGREEMENT_ADDED: "Afspraak toegevoegd",
    SAFETY_AGREEMENT_SHARED: "Afspraak gedeeld", SAFETY_AGREEMENT_UNSHARED: "Afspraak niet meer gedeeld",
    SAFETY_AGREEMENT_SEEN: "Afspraak gezien", REGIE_ASSIGNED: "Nieuwe regisseur", REGIE_ENDED: "Regie beëindigd",
    PLAN_CREATED: "Gezinsplan gemaakt", PLAN_UPDATED: "Gezinsplan gewijzigd", GOAL_ADDED: "Doel toegevoegd", GOAL_UPDATED: "Doel gewijzigd",
    PARTIAL_PLAN_ADDED: "Deelplan toegevoegd", PARTIAL_PLAN_UPDATED: "Deelplan gewijzigd",
    NETWORK_MEMBER_ADDED: "Netwerklid toegevoegd", NETWORK_MEMBER_UPDATED: "Netwerklid gewijzigd", LIFE_DOMAINS_SCORED: "Leefgebieden gescoord",
    MEETING_SCHEDULED: "MDO gepland", MEETING_UPDATED: "MDO gewijzigd", MEETING_CANCELLED: "MDO afgelast", MEETING_HELD: "MDO gehouden",
    SIGNAL_RAISED: "Signaal gemeld", SIGNAL_ACKNOWLEDGED: "Signaal gezien door de regisseur",
    RISK_ASSESSED: "Risico-inschatting", KEY_DECISION_RECORDED: "Besluit vastgelegd", SHARING_DECIDED: "Besluit over delen",
    CONSENT_GIVEN: "Toestemming vastgelegd", CONSENT_WITHDRAWN: "Toestemming ingetrokken", SHARING_WITHDRAWN: "Besluit over delen ingetrokken",
    MONITORING_SCHEDULED: "Monitoring gepland", MONITORING_RECORDED: "Monitoring vastgelegd",
    EVALUATION_RECORDED: "Evaluatie vastgelegd", WORKLIST_DUE: "Actie nodig",
  };
  const STATUS = { ACTIVE: "actief", PROPOSED: "voorgesteld", MET: "nagekomen", NOT_MET: "niet nagekomen", CANCELLED: "vervallen" };
  const RESPONSIBLE = { CLIENT: "cliënt", NETWORK_MEMBER: "netwerklid", ORGANISATION: "organisatie", PROFESSIONAL: "professional" };
  const fmt = (iso) => (iso ? new Date(iso).toLocaleString("nl-NL", { dateStyle: "medium", timeStyle: "short" }) : "–");

  /** h("p", {class: "x"}, "text", child…) — safe element construction. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }

  const state = { token: sessionStorage.getItem("ketenhub.token"), me: null, cases: [], changed: new Set(), seen: new Map(), pending: {} };

  async function api(query, variables) {
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json().catch(() => ({ errors: [{ message: "Onleesbaar antwoord", extensions: {} }] }));
    const code = body.errors && body.errors[0] && body.errors[0].extensions && body.errors[0].extensions.code;
    if (code === "UNAUTHENTICATED") logout("Uw sessie is verlopen; meld u opnieuw aan.");
    return { data: body.data, errors: body.errors, code };
  }
  const unsupported = (r) => r.code === "GRAPHQL_VALIDATION_FAILED";

  // ---- sign-in ----
  async function initLogin() {
    const cfg = await fetch("/partner/config.json").then((r) => r.json()).catch(() => ({ devSignIn: false }));
    if (cfg.devSignIn) {
      const users = await fetch("/partner/dev/users").then((r) => (r.ok ? r.json() : []));
      const select = $("dev-user");
      select.replaceChildren(...users.map((u) => h("option", { value: u.email }, `${u.name} — ${u.organisation} (${u.role})`)));
      $("dev-form").hidden = false;
    }
    $("dev-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const res = await fetch("/partner/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: $("dev-user").value }) });
      if (!res.ok) return void ($("login-error").textContent = "Aanmelden mislukt.");
      signIn((await res.json()).token);
    });
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      signIn($("token").value.trim().replace(/^Bearer\s+/i, ""));
    });
    $("logout").addEventListener("click", () => logout());
  }

  async function signIn(token) {
    state.token = token;
    const r = await api(Q_ME);
    if (!r.data) {
      state.token = null;
      $("login-error").textContent = "Dit token wordt niet geaccepteerd.";
      return;
    }
    sessionStorage.setItem("ketenhub.token", token);
    state.me = r.data.me;
    $("login-error").textContent = "";
    $("who").textContent = `${state.me.name} — ${state.me.organisation.name}`;
    $("login").hidden = true;
    $("board").hidden = false;
    $("logout").hidden = false;
    $("signal-date").value = new Date().toISOString().slice(0, 10);
    await refresh();
    $("main").focus();
    live.start();
  }

  function logout(message) {
    sessionStorage.removeItem("ketenhub.token");
    state.token = null;
    live.stop();
    $("board").hidden = true;
    $("logout").hidden = true;
    $("login").hidden = false;
    $("who").textContent = "";
    setConn("idle", "Niet verbonden");
    if (message) $("login-error").textContent = message;
  }

  // ---- data ----
  async function refresh() {
    const cases = [];
    let after = null;
    for (;;) {
      const r = await api(Q_CASES, { first: 50, after });
      if (!r.data) {
        state.loadError = `Casussen laden mislukt (${r.code || "fout"}).`;
        break;
      }
      state.loadError = null;
      cases.push(...r.data.cases.edges.map((e) => e.node));
      if (!r.data.cases.pageInfo.hasNextPage) break;
      after = r.data.cases.pageInfo.endCursor;
    }
    state.cases = cases;
    const m = await api(Q_MEETINGS, { first: 100 });
    state.pending.meetings = !unsupported(m);
    state.meetings = m.data ? m.data.cases.edges.flatMap((e) => (e.node.meetings || []).map((x) => ({ ...x, caseId: e.node.id }))) : [];
    await loadSeen();
    render();
  }

  async function loadSeen() {
    state.pending.seen = true;
    for (const c of state.cases) {
      if (!c.safetyPlan) continue;
      const r = await api(Q_SEEN, { id: c.id });
      if (unsupported(r)) return void (state.pending.seen = false);
      for (const a of (r.data && r.data.case.safetyPlan && r.data.case.safetyPlan.agreements) || []) {
        const mine = (a.seenBy || []).find((s) => s.organisation && s.organisation.name === state.me.organisation.name);
        if (mine) state.seen.set(a.id, mine.version);
      }
    }
  }

  // ---- rendering ----
  function render() {
    const focusId = document.activeElement && document.activeElement.id;
    const list = $("cases");
    list.setAttribute("aria-busy", "false");
    list.replaceChildren(
      ...(state.loadError ? [h("p", { class: "error", role: "alert" }, state.loadError)] : []),
      ...(state.cases.length ? state.cases.map(renderCase) : [h("p", { class: "muted" }, "Uw organisatie is bij geen enkele casus betrokken.")]),
    );
    renderMeetings();
    renderSignalForm();
    if (focusId && $(focusId)) $(focusId).focus();
  }

  function renderCase(c) {
    const r = c.regisseur && c.regisseur.professional;
    const children = c.family.members.filter((m) => m.kind === "CHILD").map((m) => m.givenName).filter(Boolean);
    const agreements = (c.safetyPlan && c.safetyPlan.agreements) || [];
    const titleId = `case-${c.id}-h`;
    return h("article", { class: "case", "data-case-id": c.id, "aria-labelledby": titleId },
      h("h3", { id: titleId }, `Gezin ${c.family.name || "(naam niet zichtbaar)"}`, c.status === "CLOSED" ? " (gesloten)" : ""),
      h("dl", {},
        children.length ? [h("dt", {}, "Kinderen"), h("dd", {}, children.join(", "))] : null,
        h("dt", {}, "Regisseur"),
        h("dd", {}, r
          ? [`${r.name} (${r.organisation.name}) `,
            r.phone ? h("a", { href: `tel:${r.phone.replace(/[^0-9+]/g, "")}` }, r.phone) : null, r.phone ? " · " : null,
            h("a", { href: `mailto:${r.email}` }, r.email)]
          : "nog niet toegewezen"),
        c.safetyPlan && c.safetyPlan.whomToCall ? [h("dt", {}, "Wie te bellen"), h("dd", {}, c.safetyPlan.whomToCall)] : null),
      h("h4", {}, `Veiligheidsafspraken gedeeld met ${state.me.organisation.name} (${agreements.length})`),
      agreements.length ? h("ul", { class: "agreements" }, agreements.map((a) => renderAgreement(c, a))) : h("p", { class: "muted" }, "Geen afspraken met u gedeeld."));
  }

  function renderAgreement(c, a) {
    const changed = state.changed.has(a.id);
    const seenVersion = state.seen.get(a.id);
    const who = (a.responsibleOrganisation && a.responsibleOrganisation.name) || a.responsibleDescription || RESPONSIBLE[a.responsibleKind] || "–";
    const seenBtn = state.pending.seen === false
      ? null
      : seenVersion === a.version
        ? h("span", { class: "tag" }, `Gezien (versie ${a.version})`)
        : h("button", { type: "button", class: "secondary", id: `seen-${a.id}`, onclick: () => markSeen(c, a) }, `Markeer als gezien (versie ${a.version})`);
    return h("li", { class: changed ? "agreement changed" : "agreement", "data-agreement-id": a.id },
      h("p", {}, changed ? h("span", { class: "tag new" }, "Gewijzigd") : null, h("strong", {}, `${a.priority || "-"}. ${a.what || "(niet zichtbaar)"}`)),
      h("dl", {},
        h("dt", {}, "Criterium"), h("dd", {}, a.criterion || "–"),
        h("dt", {}, "Wie"), h("dd", {}, who),
        h("dt", {}, "Uiterlijk"), h("dd", {}, a.dueOn || "–"),
        h("dt", {}, "Status"), h("dd", {}, STATUS[a.status] || a.status || "–"),
        h("dt", {}, "Rapporteren aan"), h("dd", {}, (a.reportTo && a.reportTo.name) || "–")),
      seenBtn);
  }

  async function markSeen(c, a) {
    const r = await api(M_SEEN, { input: { id: a.id, version: a.version } });
    if (unsupported(r)) state.pending.seen = false;
    else if (r.data) {
      state.seen.set(a.id, a.version);
      state.changed.delete(a.id);
      announce(`Afspraak "${a.what}" gemarkeerd als gezien.`);
    } else if (r.code === "CONFLICT") {
      announce("Deze afspraak is intussen gewijzigd; bekijk de nieuwe versie.");
      await refresh();
      return;
    }
    render();
  }

  function renderMeetings() {
    const ul = $("meetings");
    if (state.pending.meetings === false) return void ul.replaceChildren(h("li", { class: "muted" }, "Deze hub biedt nog geen MDO-gegevens."));
    const mine = (state.meetings || []).filter((m) => m.status === "PLANNED" && (m.invitees || []).some((o) => o.id === state.me.organisation.id));
    const name = (id) => (state.cases.find((c) => c.id === id) || { family: { name: "?" } }).family.name;
    ul.replaceChildren(...(mine.length ? mine.map((m) => h("li", {}, h("strong", {}, `${m.kind === "MDO" ? "MDO" : "Overleg"} gezin ${name(m.caseId)}`),
      ` — ${fmt(m.scheduledAt)}${m.location ? `, ${m.location}` : ""}`, m.agenda ? h("br") : null, m.agenda ? `Agenda: ${m.agenda}` : null))
      : [h("li", { class: "muted" }, "Geen geplande MDO's waarvoor u bent uitgenodigd.")]));
  }

  function renderSignalForm() {
    const sc = $("signal-case");
    const current = sc.value;
    sc.replaceChildren(...state.cases.filter((c) => c.status === "OPEN").map((c) => h("option", { value: c.id }, `Gezin ${c.family.name || "?"}`)));
    if (current) sc.value = current;
    renderMembers();
  }
  function renderMembers() {
    const c = state.cases.find((x) => x.id === $("signal-case").value);
    $("signal-member").replaceChildren(h("option", { value: "" }, "Het gezin"),
      ...((c && c.family.members) || []).filter((m) => m.givenName).map((m) => h("option", { value: m.id }, m.givenName)));
  }

  async function reportSignal(e) {
    e.preventDefault();
    const out = $("signal-result");
    const input = {
      caseId: $("signal-case").value, memberId: $("signal-member").value || null, urgency: $("signal-urgency").value,
      observedOn: $("signal-date").value, description: $("signal-text").value.trim(),
    };
    const r = await api(M_SIGNAL, { input });
    if (unsupported(r)) out.textContent = "Deze hub kan nog geen signalen ontvangen.";
    else if (r.data) {
      out.textContent = "Uw signaal is verstuurd naar de regisseur.";
      $("signal-text").value = "";
    } else out.textContent = `Versturen mislukt: ${(r.errors && r.errors[0] && r.errors[0].message) || "onbekende fout"}`;
  }

  function announce(text) {
    $("changes-empty").hidden = true;
    const ol = $("changes");
    ol.prepend(h("li", {}, `${new Date().toLocaleTimeString("nl-NL", { timeStyle: "short" })} — ${text}`));
    while (ol.children.length > 20) ol.lastElementChild.remove();
  }

  function onChange(change) {
    const c = state.cases.find((x) => x.id === change.caseId);
    const s = change.subject;
    if (s && s.__typename === "SafetyAgreement") state.changed.add(s.id);
    const by = change.actor ? ` door ${change.actor.name} (${change.actor.organisation.name})` : "";
    const what = s && s.__typename === "SafetyAgreement" && s.what ? `: "${s.what}"` : "";
    announce(`${KIND[change.kind] || "Wijziging"} in gezin ${c ? c.family.name : "(nieuwe casus)"}${what}${by}`);
    scheduleRefresh();
  }
  let refreshTimer;
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), 150);
  }

  // ---- live: a minimal graphql-transport-ws client with reconnect and resume ----
  function setConn(stateName, text) {
    const el = $("conn");
    el.dataset.state = stateName;
    el.textContent = text;
  }
  const live = (() => {
    let socket = null, cursor = null, attempt = 0, timer = null, countdown = null, active = false;
    function start() {
      active = true;
      connect();
    }
    function stop() {
      active = false;
      clearTimeout(timer);
      clearInterval(countdown);
      $("conn-retry").textContent = "";
      if (socket) socket.close(1000, "Afgemeld");
      socket = null;
    }
    function connect() {
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
      setConn("connecting", "Verbinden…");
      const ws = new WebSocket(url, "graphql-transport-ws");
      socket = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${state.token}` } }));
      ws.onmessage = (ev) => {
        const msg = JSON.parse(ev.data);
        if (msg.type === "connection_ack") {
          const resumed = attempt > 0;
          attempt = 0;
          setConn("live", "Live verbonden");
          ws.send(JSON.stringify({ id: "changes", type: "subscribe", payload: { query: S_CHANGES, variables: { after: cursor } } }));
          if (resumed) {
            announce("Verbinding hersteld.");
            scheduleRefresh(); // catch up on anything the replay does not cover (no cursor yet)
          }
        } else if (msg.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
        else if (msg.type === "next" && msg.payload && msg.payload.data) {
          const change = msg.payload.data.myChanges;
          cursor = change.id;
          onChange(change);
        } else if (msg.type === "error") setConn("lost", "Live-wijzigingen niet beschikbaar");
      };
      ws.onclose = (ev) => {
        if (socket !== ws) return;
        socket = null;
        if (!active) return;
        if (ev.code === 4401 || ev.code === 4403) return void logout("Uw sessie is verlopen; meld u opnieuw aan.");
        const delay = Math.round(Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random()));
        attempt++;
        // The state is announced once (role=status); the countdown beside it is not read out every second.
        let left = Math.ceil(delay / 1000);
        setConn("lost", "Verbinding verbroken — opnieuw verbinden…");
        const show = () => ($("conn-retry").textContent = `over ${left} s`);
        show();
        clearInterval(countdown);
        countdown = setInterval(() => (left = Math.max(0, left - 1), show()), 1000);
        timer = setTimeout(() => (clearInterval(countdown), ($("conn-retry").textContent = ""), connect()), delay);
      };
    }
    return { start, stop, get socket() { return socket; } };
  })();
  window.__partnerBoard = { live }; // for the browser tests: drop the connection on purpose

  document.addEventListener("DOMContentLoaded", () => {
    $("signal-form").addEventListener("submit", reportSignal);
    $("signal-case").addEventListener("change", renderMembers);
    void initLogin();
    if (state.token) void signIn(state.token);
  });
})();
