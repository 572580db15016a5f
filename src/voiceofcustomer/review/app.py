"""The review web app (Starlette): a keyboard-first labels view over a project file.

Security model: the server binds 127.0.0.1 only; every request must carry the
session token (``?token=`` on the first load, then an HttpOnly SameSite=Strict
cookie, or an ``X-Review-Token`` header) and a Host header naming this server
(``127.0.0.1:PORT`` or ``localhost:PORT``), so neither another web page nor a DNS
rebinding attack can read or write the project. Data reaches the page only as JSON
and is put into the DOM with ``textContent``; the template autoescapes.
"""

from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from voiceofcustomer.errors import VocError, reword_params
from voiceofcustomer.review.definitions import codebook, team_codebook
from voiceofcustomer.review.store import NotFoundError, ReviewStore, StaleError
from voiceofcustomer.review.items import ItemBook
from voiceofcustomer.statements import SHOWN_COLUMN_NAMES, group_name
from voiceofcustomer.review.jobs import CONVENTION_MAP_CHOICES, JOB_ZH, FALLBACK_ZH, BusyError, JobRunner, error_zh
from voiceofcustomer.review.themes import ThemeBook

__all__ = ["create_app", "new_token", "serve", "cookie_name", "COOKIE"]

COOKIE = "voc_review"
_env = Environment(loader=PackageLoader("voiceofcustomer.review", "templates"),
                   autoescape=select_autoescape(["html"], default=True))


_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    return f"{COOKIE}_{port}"


def _error(status: int, message: str, zh: str | None = None) -> JSONResponse:
    """A refusal: ``error`` in English (the API's message, as it was), ``error_zh`` the same in Chinese, which the
    pages show (their text is Chinese); where there is none, a Chinese line around the English (jobs.FALLBACK_ZH)."""
    return JSONResponse({"error": message, "error_zh": zh or FALLBACK_ZH.format(english=message)}, status_code=status)


#: The page's own field for a library parameter a message names (``min_examples=``: the Teach panel's
#: "min. examples per team value"); a parameter the page has no field for is left out of the advice
#: (``errors.reword_params``), as the command line leaves out a flag the running command does not have.
_PAGE_FIELDS = {
    "min_examples": "the Teach panel's min. examples per team value",
    "weight": "the Teach panel's weight",
    "convention_map": "the Teach panel's class recodings",
    "embedding": "the Save-curated panel's embedding",
}
#: the same fields as the pages name them in Chinese, for a message's Chinese (``error_zh``)
_PAGE_FIELDS_ZH = {
    "min_examples": "“教模型”的“团队取值的最少样本数”",
    "weight": "“教模型”的权重",
    "convention_map": "“教模型”的“类别改标”",
    "embedding": "“保存整理后的主题集”的“向量表示”",
}


def page_message(message: str, params=(), zh: bool = False) -> str:
    """A library message as the review page says it: each parameter it names (``min_examples=3``) as
    the page's field (:data:`_PAGE_FIELDS`; ``zh``: the message is the Chinese one, :data:`_PAGE_FIELDS_ZH`),
    never as a command-line flag the page does not have."""
    fields = _PAGE_FIELDS_ZH if zh else _PAGE_FIELDS

    def shown(name, value):
        field = fields.get(name)
        return field if field is None or value is None else (f"{field}（{value}）" if zh else f"{field} ({value})")

    return reword_params(message, params, shown)


class Guard:
    """ASGI middleware: Host header and session token on every HTTP request."""

    def __init__(self, app, *, token: str, port: int):
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.cookie = cookie_name(port)  # cookies ignore the port: two servers must not share one

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return await _error(403, f"refused: Host header {host!r} is not this review server",
                                f"已拒绝：请求头 Host {host!r} 不是本复核服务器")(scope, receive, send)
        given = request.query_params.get("token")
        if given is not None:
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return await _error(403, "refused: wrong session token; use the URL printed by `voc review`",
                                    "已拒绝：会话令牌不对；请打开 voc review 显示的网址")(scope, receive, send)
            if request.method == "GET" and request.url.path == "/":
                # move the token from the URL into a cookie, so it does not stay in the history bar
                resp = RedirectResponse("/", status_code=303)
                resp.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
                return await resp(scope, receive, send)
            return await self.app(scope, receive, send)
        given = request.cookies.get(self.cookie) or request.headers.get("x-review-token") or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return await _error(403, "refused: this request has no valid session token; open the URL printed by "
                                     "`voc review`", "已拒绝：这个请求没有有效的会话令牌；请打开 voc review 显示的网址")(
                scope, receive, send)
        return await self.app(scope, receive, send)


def create_app(store: ReviewStore, *, coder: str, token: str, port: int, title: str = "",
               write_root: str | Path | None = None, corpus: str | Path | None = None,
               jobs: JobRunner | None = None) -> Starlette:
    """The ASGI app for one project file and one coder.

    ``write_root``: the one folder the Teach and Save-curated buttons may write into (default: the
    project file's folder); ``corpus``: the labelled corpus Teach trains on (default: the shipped one);
    ``jobs``: a ready :class:`JobRunner` instead (tests).
    """
    # Every endpoint is ``async`` and calls SQLite directly: a call takes milliseconds, and staying on the
    # one event-loop thread means one connection is only ever used by one request at a time.
    cached: dict = {}

    async def page(request: Request):
        html = _env.get_template("labels.html").render(
            title=title or store.path.name,
            boot={"coder": coder, "codebook": codebook() + team_codebook(store.codebook()),
                  "column_names": SHOWN_COLUMN_NAMES})
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP})

    async def state(request: Request):
        if not cached:  # sources and groups do not change while serving; DISTINCT over 100k rows takes ~50 ms
            groups = store.distinct("group")
            cached.update(sources=store.distinct("source"), groups=groups,
                          group_names={g: group_name(g) for g in groups})  # 公众用户 for public
        # themes do change (renamed, merged in the themes view): their current names, every time
        return JSONResponse({"coder": coder, "progress": store.progress(coder), "coders": store.coders(),
                             **cached, "themes": store.distinct("theme")})

    async def queue(request: Request):
        p = request.query_params
        try:
            after = int(p["after"]) if p.get("after") else None
            limit = int(p.get("limit", 50))
        except ValueError:
            return _error(400, "after and limit must be whole numbers")
        rows = store.queue(coder=coder, order=p.get("order", "teach"), status=p.get("status", "todo"),
                           label=p.get("label") or None, source=p.get("source") or None,
                           group=p.get("group") or None, theme=p.get("theme") or None,
                           attrs=p.get("attrs") or None,
                           by_coder=p.get("coder") or None, disagree=p.get("disagree") in ("1", "true"),
                           q=p.get("q") or None, uncounted=p.get("uncounted") in ("1", "true"),
                           after=after, limit=limit)
        return JSONResponse({"rows": rows})

    async def row(request: Request):
        return JSONResponse(store.row(request.path_params["sid"], coder))

    async def _json(request: Request) -> dict:
        if "application/json" not in request.headers.get("content-type", ""):
            raise VocError("send JSON (Content-Type: application/json)")
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise VocError("the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise VocError("the request body must be a JSON object")
        return body

    async def decide(request: Request):
        body = await _json(request)
        sid, labels = body.get("statement_id"), body.get("labels") or {}
        if not isinstance(sid, str) or not isinstance(labels, dict):
            return _error(400, "give statement_id (text) and labels ({field: value})")
        seen = {}
        if "seen" in body:  # the page's row as it read it: a decision made since, in another tab, is not replaced
            if body["seen"] is not None and (isinstance(body["seen"], bool) or not isinstance(body["seen"], int)):
                return _error(400, "seen must be the row's mine_batch (a whole number) or null")
            seen["seen"] = body["seen"]
        note = body.get("note")  # the coder's note on the statement, saved with the decision (absent: as it was)
        if note is not None and not isinstance(note, str):
            return _error(400, "note must be text", "备注须为文字")
        seen.update(_seen_note(body))
        if "error" in seen:
            return seen["error"]
        out = store.decide(sid, labels, coder, note=note, **seen)
        # the coders too: a coder's first decision adds them to the "coded by" filter without a reload
        out.update(progress=store.progress(coder), coders=store.coders())
        return JSONResponse(out)

    def _seen_note(body: dict, key: str = "seen_note") -> dict:
        """The coder's note as the page read it (``seen_note`` of a decision, ``seen`` of a note): a note saved
        since, in another tab, is not replaced unseen. Absent: no check (older pages, scripts)."""
        if key not in body:
            return {}
        if body[key] is not None and not isinstance(body[key], str):
            return {"error": _error(400, f"{key} must be the note as read (text) or null", f"{key} 须为读到的备注（文字）或 null")}
        return {"seen_note" if key == "seen_note" else "seen": body[key] or ""}

    async def note(request: Request):
        """The coder's note (memo) on a statement, saved on its own (no decision)."""
        body = await _json(request)
        sid, text = body.get("statement_id"), body.get("note")
        if not isinstance(sid, str) or not isinstance(text, str):
            return _error(400, "give statement_id (text) and note (text; \"\" clears it)",
                          "请给出 statement_id（文字）和 note（文字；空字符串即清除备注）")
        seen = _seen_note(body, key="seen")
        if "error" in seen:
            return seen["error"]
        return JSONResponse(store.set_note(sid, coder, text, **seen))

    async def undo(request: Request):
        await _json(request)
        out = store.undo(coder)
        out.update(progress=store.progress(coder), coders=store.coders())
        return JSONResponse(out)

    book = ThemeBook(store)

    async def themes_page(request: Request):
        html = _env.get_template("themes.html").render(title=title or store.path.name, boot={"coder": coder},
                                                       job_zh=JOB_ZH)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP})

    async def themes(request: Request):
        return JSONResponse({"themes": book.summary(), "history": book.history(20),
                             "suggestions": book.suggestions()})

    async def theme_statements(request: Request):
        return JSONResponse({"statements": book.statements(request.path_params["tid"])})

    async def theme_edit(request: Request):
        body = await _json(request)
        op = request.path_params["op"]
        text = lambda k: str(body.get(k, ""))  # noqa: E731
        if op == "rename":
            out = book.rename(text("theme_id"), text("label"), coder)
        elif op == "merge":
            out = book.merge(text("source"), text("target"), coder)
        elif op == "noise":
            out = book.set_noise(text("theme_id"), bool(body.get("noise")), coder)
        elif op == "move":
            out = book.move(text("statement_id"), text("target"), coder)
        elif op == "undo":
            out = book.undo()
        else:
            return _error(404, f"unknown theme edit {op!r}; use rename, merge, noise, move or undo",
                          f"未知的主题修改 {op!r}；可用 rename、merge、noise、move 或 undo")
        out["themes"] = book.summary()
        return JSONResponse(out)

    items = ItemBook(store)

    async def items_page(request: Request):
        # the four fields' Chinese names, as the labels view shows them (可靠性 reliability)
        html = _env.get_template("items.html").render(title=title or store.path.name,
                                                      boot={"coder": coder, "codebook": codebook()})
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP})

    async def items_list(request: Request):
        return JSONResponse({"items": items.list()})

    async def items_check(request: Request):
        body = await _json(request)
        return JSONResponse(items.check(str(body.get("item_id", "")), str(body.get("edited_text", ""))))

    async def items_decide(request: Request):
        body = await _json(request)
        out = items.decide(str(body.get("item_id", "")), str(body.get("decision", "")),
                           str(body.get("edited_text", "")), coder)
        return JSONResponse(out)

    async def items_export(request: Request):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            data = items.export(Path(tmp) / "items_reviewed.xlsx").read_bytes()
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="items_reviewed.xlsx"'})

    jobs = jobs or JobRunner(store.path, write_root=write_root, corpus=corpus)

    async def model_page(request: Request):
        # the fields' and labels' Chinese names, as the labels view shows them (问题类别 issue, 营销推广 marketing)
        from voiceofcustomer.review.teach_codebook import LEAST_MIN_EXAMPLES, MIN_EXAMPLES

        html = _env.get_template("model.html").render(
            title=title or store.path.name, job_zh=JOB_ZH, least_min_examples=LEAST_MIN_EXAMPLES,
            min_examples=MIN_EXAMPLES,
            boot={"coder": coder, "team_fields": bool(store.codebook()),
                  "codebook": codebook() + team_codebook(store.codebook())})
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP})

    async def job_status(request: Request):
        kind = request.path_params["kind"]
        out = jobs.status(kind)
        if "error" in out:  # a failed job's reason, in the page's terms (and in Chinese, which the pages show)
            params = out.pop("params", ())
            out["error"] = page_message(out["error"], params)
            if out.get("error_zh"):
                out["error_zh"] = page_message(out["error_zh"], params, zh=True)
        if kind == "teach":
            out["decided"] = store.decided_count()
        return JSONResponse(out)

    async def job_start(request: Request):
        body = await _json(request)
        kind = request.path_params["kind"]
        output = body.get("output") or ""
        if not isinstance(output, str):
            return _error(400, "output must be a folder name (text)", "输出文件夹须为文件夹名称（文字）")
        options = {}
        if kind == "teach":
            weight = body.get("weight", 3)
            if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
                return _error(400, "weight must be a whole number from 1 to 100", "权重须为 1 到 100 之间的整数")
            if store.decided_count() == 0:
                return _error(400, "no decided statements to learn from yet; code some rows first",
                              "还没有可以学习的已决定陈述；请先标注一些行")
            options["weight"] = weight
            convention = body.get("convention_map", "auto")
            if convention not in CONVENTION_MAP_CHOICES:
                return _error(400, f"convention_map must be auto, always or never ({_PAGE_FIELDS['convention_map']})",
                              f"{_PAGE_FIELDS_ZH['convention_map']}须为 auto、always 或 never")
            options["convention_map"] = convention
            if store.codebook():  # a team field's values each need this many decided statements (min_examples=)
                from voiceofcustomer.review.teach_codebook import MIN_EXAMPLES, check_min_examples

                least = body.get("min_examples", MIN_EXAMPLES)
                check_min_examples(least)  # voc train's check and words, the panel's field named (on_error)
                options["min_examples"] = least
        elif kind == "curated":
            embedding = body.get("embedding") or "use"
            if embedding not in ("use", "lsa", "e5"):
                return _error(400, f"embedding must be use, lsa or e5 ({_PAGE_FIELDS['embedding']}, as in the "
                                   "voc themes run)", "向量表示须为 use、lsa 或 e5（与本项目所用的那次 voc themes 相同）")
            options["embedding"] = embedding
        elif kind == "suggestion":  # voc themes PROJECT --model SET --add-suggestion NAME[=LABEL] -o OUTPUT
            model, name, label = body.get("model") or "", body.get("suggestion") or "", body.get("label") or ""
            if not all(isinstance(v, str) for v in (model, name, label)) or not name.strip():
                return _error(400, "give the suggestion (new1 …), the curated set's folder and the new theme's "
                                   "name as text", "请给出建议（new1 …）、主题集的文件夹和新主题的名称")
            if len(label.strip()) > 200:
                return _error(400, "a theme name must be at most 200 characters", "主题名称最多 200 个字")
            options.update(model_dir=str(jobs.resolve_set(model)), suggestion=name.strip(),
                           label=label.strip() or None)
        return JSONResponse(jobs.start(kind, output, **options), status_code=202)

    async def favicon(request: Request):
        return Response(status_code=204)

    async def on_error(request: Request, exc: Exception):
        if isinstance(exc, VocError):
            # the refusal in Chinese: the library's (VocError zh=), or a Chinese line around the English
            message = page_message(str(exc), exc.params)
            zh = page_message(exc.zh, exc.params, zh=True) if exc.zh else error_zh(exc, message)
            status = 404 if isinstance(exc, NotFoundError) else 409 if isinstance(exc, (StaleError, BusyError)) else 400
            return _error(status, message, zh)
        return _error(500, f"internal error ({type(exc).__name__}); the project file is unchanged",
                      f"内部错误（{type(exc).__name__}）；项目文件没有改动")

    app = Starlette(routes=[
        Route("/", page), Route("/favicon.ico", favicon),
        Route("/api/state", state), Route("/api/queue", queue), Route("/api/row/{sid:path}", row),
        Route("/api/decide", decide, methods=["POST"]), Route("/api/undo", undo, methods=["POST"]),
        Route("/api/note", note, methods=["POST"]),
        Route("/themes", themes_page), Route("/api/themes", themes),
        Route("/api/themes/{tid}/statements", theme_statements),
        Route("/api/themes/{op}", theme_edit, methods=["POST"]),
        Route("/items", items_page), Route("/api/items", items_list), Route("/api/items/export", items_export),
        Route("/api/items/check", items_check, methods=["POST"]),
        Route("/api/items/decide", items_decide, methods=["POST"]),
        Route("/model", model_page), Route("/api/jobs/{kind}", job_status),
        Route("/api/jobs/{kind}", job_start, methods=["POST"]),
    ], exception_handlers={Exception: on_error, VocError: on_error})
    app.add_middleware(Guard, token=token, port=port)
    return app


def bind_socket(port: int = 0):
    """A listening socket on 127.0.0.1 (port 0: a free one), so the URL is known before serving."""
    import socket

    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets of that proto, and without it
    # Nagle's algorithm and delayed ACKs add ~40 ms to every response
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise VocError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another port= or 0",
                       params=("port",)) from None
    sock.listen(64)
    return sock


def serve(store: ReviewStore, *, coder: str, port: int = 0, token: str | None = None, on_ready=None,
          title: str = "", write_root: str | Path | None = None) -> None:
    """Serve the labels view until Ctrl-C (or SIGTERM); every decision is already saved when it returns.

    ``on_ready(url)`` is called with the URL (including the token) once the socket listens.
    """
    import uvicorn

    token = token or new_token()
    sock = bind_socket(port)
    port = sock.getsockname()[1]
    app = create_app(store, coder=coder, token=token, port=port, title=title, write_root=write_root)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    if on_ready:
        on_ready(f"http://127.0.0.1:{port}/?token={token}")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it has already handled with a clean shutdown
    finally:
        sock.close()
