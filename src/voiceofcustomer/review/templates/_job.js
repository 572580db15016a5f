// Shared by the model and themes pages: start a background job (teach, curated) and poll its state.
// The elements of a panel are named by the kind: KIND-out (folder), KIND-go (button), KIND-state, KIND-root.
function jobPanel(kind, body, render) {
  const state = $(kind + "-state"), out = $(kind + "-out"), go = $(kind + "-go");
  let timer = null, last = null;
  function show(j) {
    const was = last; last = j.state;
    if ((was === "queued" || was === "running") && j.state === "done") say(kind + " done");
    else if ((was === "queued" || was === "running") && j.state === "failed") say(kind + " failed: " + j.error, true);
    state.dataset.state = j.state;
    let text = {idle: "not run yet", queued: "queued", running: "running", done: "done", failed: "failed"}[j.state] || j.state;
    if (j.state === "queued" || j.state === "running") text += ": " + (j.message || "") + " (" + Math.round(j.elapsed_s || 0) + " s)";
    else if (j.state === "done") text += " in " + j.duration_s + " s → " + j.output;
    else if (j.state === "failed") text += ": " + j.error;
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
    try { const j = await api("/api/jobs/" + kind, Object.assign({output: out.value}, body())); say(kind + " started"); show(j); }
    catch (e) { say(e.message, true); }
  });
  return api("/api/jobs/" + kind).then((j) => {
    out.value = j.default_output; $(kind + "-root").textContent = j.root; show(j); return j;
  });
}
