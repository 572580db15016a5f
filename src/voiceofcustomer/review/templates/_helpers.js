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
// A count as the rest of voc writes it, with thousands separators: 17,244 (errors.plural's {n:,}); not a number: as it is
function num(n) { return typeof n === "number" && Number.isFinite(n) ? n.toLocaleString("en-US") : String(n ?? ""); }
function say(msg, err) { const s = $("status"); s.textContent = msg || ""; s.className = err ? "err" : ""; }
async function api(path, body) {
  const opt = body === undefined ? {} : {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  let r;
  try { r = await fetch(path, Object.assign({credentials: "same-origin"}, opt)); }
  catch (e) {  // the server is gone (stopped with Ctrl-C, restarted, the machine asleep): "Failed to fetch" said nothing
    throw Object.assign(new Error("未完成：复核服务器没有响应（已停止？），这一步什么都没有保存。请重新启动它" +
      "（voc review --db PROJECT.sqlite）并打开它显示的网址：之前保存的每个决定都在项目文件里"), {status: 0});
  }
  let data = null; try { data = await r.json(); } catch (e) { data = {error: "服务器的回答无法读取（HTTP " + r.status + "）"}; }
  // a refusal's Chinese message (error_zh) where the server gives one beside its English error
  if (!r.ok) throw Object.assign(new Error(data.error_zh || data.error || ("HTTP " + r.status)), {status: r.status});
  return data;
}
