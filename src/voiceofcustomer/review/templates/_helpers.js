// Shared by the review pages: element lookup, text-only element creation, status line, JSON API calls.
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text); return e; }
// A label as the labels view shows it: its Chinese name beside its id (可靠性 reliability); a codebook
// choice {value, zh}, or a field and value looked up in BOOT.codebook (an unknown value: the value alone).
function choiceText(c) { return (c.zh ? c.zh + " " : "") + c.value; }
function labelText(field, value) {
  const f = ((typeof BOOT !== "undefined" && BOOT.codebook) || []).find((x) => x.field === field);
  const c = f && f.choices.find((x) => x.value === value);
  return c ? choiceText(c) : String(value);
}
function say(msg, err) { const s = $("status"); s.textContent = msg || ""; s.className = err ? "err" : ""; }
async function api(path, body) {
  const opt = body === undefined ? {} : {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  let r;
  try { r = await fetch(path, Object.assign({credentials: "same-origin"}, opt)); }
  catch (e) {  // the server is gone (stopped with Ctrl-C, restarted, the machine asleep): "Failed to fetch" said nothing
    throw Object.assign(new Error("not done: the review server does not answer (stopped?); nothing was saved by this " +
      "step. Start it again (voc review --db PROJECT.sqlite) and open the URL it prints: every decision saved " +
      "before is in the project file"), {status: 0});
  }
  let data = null; try { data = await r.json(); } catch (e) { data = {error: "bad response " + r.status}; }
  if (!r.ok) throw Object.assign(new Error(data.error || ("HTTP " + r.status)), {status: r.status});
  return data;
}
