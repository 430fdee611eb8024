// The outreach form, offline first: each contact is kept in this phone's IndexedDB under
// an id made here, then sent to /outreach/sync/ when the network is back. The server
// stores a contact once whatever the number of sends (a lost answer, a replayed queue),
// so a contact leaves the queue only once the server said it has it.
(function () {
  "use strict";
  var form = document.getElementById("outreach-form");
  if (!form) return;
  var texts = JSON.parse(document.getElementById("outreach-texts").textContent);
  var network = document.getElementById("outreach-network");
  var status = document.getElementById("outreach-sync-status");
  var waiting = document.getElementById("outreach-waiting");
  var refused = document.getElementById("outreach-refused");
  var refusedBox = document.getElementById("outreach-refused-box");
  var count = document.getElementById("outreach-count");
  var sendButton = document.getElementById("outreach-send");
  var user = form.dataset.user;
  var language = form.dataset.language || document.documentElement.lang || "fr";
  var LISTS = ["need_domains", "help_given"];
  var correcting = null; // the id of the refused contact being corrected in the form
  var STORE = "queue";

  if (!window.indexedDB || !window.fetch || !window.Promise) {
    network.textContent = texts.unsupported;
    return; // the form is sent as it is, online
  }
  document.getElementById("outreach-queue").hidden = false; // without the script: no queue
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.swUrl, { scope: "/outreach/" }).catch(function () {});
  }
  // A page shown from the phone's copy: the messages of the visit it was kept from are old.
  if (!navigator.onLine) {
    document.querySelectorAll(".messages").forEach(function (list) { list.remove(); });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var opened = null;
  function db() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("proxima-outreach", 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }
  function run(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }
  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(item) { return run("readwrite", function (store) { store.put(item); }); }
  function remove(id) { return run("readwrite", function (store) { store.delete(id); }); }
  // Removed once sent, unless it changed meanwhile (corrected, or put back by another tab).
  function removeIfSent(item) {
    var sent = JSON.stringify(item);
    return run("readwrite", function (store) {
      var reading = store.get(item.id);
      reading.onsuccess = function () {
        if (reading.result && JSON.stringify(reading.result) === sent) store.delete(item.id);
      };
    });
  }

  function collect() {
    var item = { recorded_by: user, saved_at: new Date().toISOString(), state: "waiting" };
    LISTS.forEach(function (name) { item[name] = []; });
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (LISTS.indexOf(name) >= 0) item[name].push(String(value));
      else item[name] = String(value);
    });
    item.met_at = item.met_at || item.saved_at; // a contact corrected keeps its moment
    return item;
  }

  function when(iso) {
    return new Intl.DateTimeFormat(language === "en" ? "en-CA" : "fr-CA", {
      dateStyle: "medium", timeStyle: "short"
    }).format(new Date(iso));
  }

  function describe(item) {
    var people = Number(item.people_count) || 1;
    var word = new Intl.PluralRules(language).select(people) === "one" ? texts.person : texts.people;
    return when(item.met_at) + " — " + item.place + " (" + people.toLocaleString(language) + " " + word + ")";
  }

  function render() {
    return all().then(function (items) {
      items.sort(function (a, b) { return a.met_at < b.met_at ? -1 : 1; });
      var pending = items.filter(function (item) { return item.state === "waiting"; });
      var stopped = items.filter(function (item) { return item.state === "refused"; });
      waiting.replaceChildren();
      pending.forEach(function (item) {
        var row = document.createElement("li");
        row.textContent = describe(item);
        if (item.recorded_by !== user) {
          var who = document.createElement("span");
          who.className = "muted";
          who.textContent = " — " + texts.other_user;
          row.appendChild(who);
        }
        waiting.appendChild(row);
      });
      if (!pending.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = texts.waiting_none;
        waiting.appendChild(none);
      }
      count.textContent = pending.length.toLocaleString(language);
      sendButton.hidden = !pending.length;
      refused.replaceChildren();
      stopped.forEach(function (item) {
        var row = document.createElement("li");
        row.textContent = describe(item) + " — " + item.reasons.join(" ");
        var correct = document.createElement("button");
        correct.type = "button";
        correct.className = "link";
        correct.textContent = texts.correct;
        correct.addEventListener("click", function () { reopen(item); });
        row.appendChild(document.createTextNode(" "));
        row.appendChild(correct);
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link";
        discard.textContent = texts.discard;
        discard.addEventListener("click", function () {
          if (window.confirm(texts.discard_confirm)) remove(item.id).then(render);
        });
        row.appendChild(document.createTextNode(" "));
        row.appendChild(discard);
        refused.appendChild(row);
      });
      refusedBox.hidden = !stopped.length;
      return pending;
    });
  }

  // A contact refused, back in the form to be corrected and recorded again (a new id when
  // its own was taken by another contact).
  function reopen(item) {
    form.reset();
    Object.keys(item).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || name === "csrfmiddlewaretoken") return;
      if (LISTS.indexOf(name) >= 0) {
        form.querySelectorAll("[name='" + name + "']").forEach(function (box) {
          box.checked = item[name].indexOf(box.value) >= 0;
        });
      } else if (field instanceof RadioNodeList || field.type === "radio") {
        form.querySelectorAll("[name='" + name + "']").forEach(function (radio) {
          radio.checked = radio.value === item[name];
        });
      } else {
        field.value = item[name];
      }
    });
    if (item.conflict) form.elements.id.value = newId();
    // Kept (apart) until the corrected contact is recorded: a page closed meanwhile
    // finds it again among those not sent.
    correcting = item.id;
    item.state = "correcting";
    put(item).then(render).then(function () {
      form.elements.place.focus();
      status.textContent = texts.corrected;
    });
  }

  function showNetwork() {
    network.textContent = navigator.onLine ? texts.online : texts.offline;
    network.className = "outreach-network " + (navigator.onLine ? "online" : "offline");
  }

  function cookie(name) {
    var prefix = name + "=";
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(prefix) === 0; })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }
  function csrfToken() {
    return cookie(form.dataset.csrfCookie) || form.elements.csrfmiddlewaretoken.value;
  }
  // The form kept on the phone is of the account signed in when it was kept: once that
  // account signed out (or another signed in), nothing is recorded in its name.
  function signedInHere() {
    return cookie(form.dataset.signedInCookie) === user;
  }
  function refuseStaleForm() {
    if (signedInHere()) return false;
    var notice = document.getElementById("outreach-signed-out");
    notice.hidden = false;
    form.querySelectorAll("input, select, textarea, button").forEach(function (field) { field.disabled = true; });
    return true;
  }

  // Sent 50 at a time; one at a time once a whole batch was refused (400), to set apart
  // the contact the server cannot read and send the others.
  var batchSize = 50;
  var sending = null;
  // The server says the session ended (signed out elsewhere, idle too long): this copy
  // of the form records no more in the worker's name until they sign in again.
  function saySignedOut() {
    document.cookie = form.dataset.signedInCookie + "=; Max-Age=0; path=/; SameSite=Lax";
    refuseStaleForm();
    status.textContent = texts.signed_out;
    document.getElementById("outreach-sign-in").hidden = false;
  }
  function send() {
    if (sending) return sending;
    if (!navigator.onLine) { showNetwork(); return Promise.resolve(); }
    if (!signedInHere()) { saySignedOut(); return Promise.resolve(); }
    sending = all().then(function (items) {
      var batch = items.filter(function (item) {
        return item.state === "waiting" && item.recorded_by === user;
      }).slice(0, batchSize);
      if (!batch.length) return null;
      var contacts = batch.map(function (item) {
        var sent = {};
        Object.keys(item).forEach(function (key) {
          if (["state", "saved_at", "reasons", "conflict"].indexOf(key) < 0) sent[key] = item[key];
        });
        sent.sent_at = new Date().toISOString(); // the phone's clock now: the server corrects a clock ahead or behind
        return sent;
      });
      return fetch(form.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        body: JSON.stringify({ contacts: contacts })
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          saySignedOut();
          return null;
        }
        if (response.status === 400 || response.status === 413) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            if (batch.length > 1) { batchSize = 1; return "more"; }
            batch[0].state = "refused";
            batch[0].reasons = [answer.error || texts.failed];
            return put(batch[0]).then(function () { return "more"; });
          });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (answer) {
          var byId = {};
          batch.forEach(function (item) { byId[item.id] = item; });
          var done = (answer.results || []).map(function (result) {
            var item = byId[result.id];
            if (!item) return null;
            if (result.status === "stored" || result.status === "duplicate") return removeIfSent(item);
            if (result.status === "conflict" || result.status === "rejected") {
              item.state = "refused";
              item.conflict = result.status === "conflict";
              item.reasons = result.status === "conflict" ? [texts.conflict]
                : Object.keys(result.errors || {}).map(function (key) { return result.errors[key]; });
              return put(item);
            }
            return null;
          });
          return Promise.all(done).then(function () {
            status.textContent = texts.sent;
            return batch.length === batchSize ? "more" : null;
          });
        });
      });
    }).catch(function () {
      status.textContent = texts.failed;
    }).then(function (more) {
      sending = null;
      return render().then(function () { if (more === "more") return send(); });
    });
    return sending;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (refuseStaleForm()) return;
    var place = form.elements.place;
    if (!place.value.trim()) {
      place.setCustomValidity(place.dataset.required || " ");
      place.reportValidity();
      place.setCustomValidity("");
      place.focus();
      return;
    }
    var item = collect();
    var replaced = correcting;
    put(item).then(function () {
      correcting = null;
      return replaced && replaced !== item.id ? remove(replaced) : null;
    }).then(function () {
      var keep = { event: form.elements.event ? form.elements.event.value : null };
      form.reset();
      if (form.elements.event) form.elements.event.value = keep.event;
      form.elements.id.value = newId();
      form.elements.met_at.value = "";
      status.textContent = texts.saved;
      return render();
    }).then(send).catch(function () {
      // No storage on this phone (private browsing): sent as a form, online.
      form.submit();
    });
  });
  sendButton.addEventListener("click", send);
  window.addEventListener("online", function () { showNetwork(); send(); });
  window.addEventListener("offline", showNetwork);
  setInterval(function () { if (navigator.onLine) send(); }, 60000);
  form.elements.id.value = newId();
  form.elements.met_at.value = ""; // each contact's moment is taken when it is recorded
  showNetwork();
  refuseStaleForm();
  all().then(function (items) {
    return Promise.all(items.filter(function (item) { return item.state === "correcting"; })
      .map(function (item) { item.state = "refused"; return put(item); }));
  }).then(render).then(send);
})();
