// Shared by the model and themes pages: start a background job (teach, curated) and poll its state.
// The elements of a panel are named by the kind: KIND-out (folder), KIND-go (button), KIND-state, KIND-root.
// The job's name (review.jobs.JOB_ZH, given by the page) and states in Chinese; the API's kinds and states stay ids.
// A failure and a progress line in Chinese where the server gives one (error_zh, message_zh) beside its English.
const JOB_ZH = {{ job_zh|tojson }};
const JOB_STATE_ZH = {idle: "尚未运行", queued: "排队中", running: "运行中", done: "完成", failed: "失败"};
function jobPanel(kind, body, render) {
  const name = JOB_ZH[kind] || kind;
  const state = $(kind + "-state"), out = $(kind + "-out"), go = $(kind + "-go");
  let timer = null, last = null;
  function show(j) {
    const was = last; last = j.state;
    if ((was === "queued" || was === "running") && j.state === "done") say(name + "：完成");
    else if ((was === "queued" || was === "running") && j.state === "failed") say(name + "：失败：" + (j.error_zh || j.error), true);
    state.dataset.state = j.state;
    let text = JOB_STATE_ZH[j.state] || j.state;
    // the job's own markers (queued, started) say no more than the state; a step's progress line is the library's
    const step = ["queued", "started", "done"].includes(j.message) ? "" : (j.message_zh || j.message || "");
    if (j.state === "queued" || j.state === "running") text += (step ? "：" + step : "") + "（" + Math.round(j.elapsed_s || 0) + " 秒）";
    else if (j.state === "done") text += "，用时 " + j.duration_s + " 秒 → " + j.output;
    else if (j.state === "failed") text += "：" + (j.error_zh || j.error);
    state.textContent = text;
    render(j);
    clearTimeout(timer);
    if (j.state === "queued" || j.state === "running") timer = setTimeout(poll, 1000);
  }
  async function poll() {
    try { show(await api("/api/jobs/" + kind)); }
    catch (e) { say(e.message, true); clearTimeout(timer); timer = setTimeout(poll, 3000); }
  }
  go.addEventListener("click", async () => {
    // a job that ended before its start answered (a refusal of the library's, a quick job) still says how it ended
    try { const j = await api("/api/jobs/" + kind, Object.assign({output: out.value}, body())); say(name + "：已开始");
          last = "queued"; show(j); }
    catch (e) { say(e.message, true); }
  });
  return api("/api/jobs/" + kind).then((j) => {
    out.value = j.default_output; $(kind + "-root").textContent = j.root; show(j); return j;
  });
}
