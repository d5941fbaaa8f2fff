"""A small intranet web service: coverage and commitments as JSON.

A WSGI application from the standard library alone, that opens one Workspace per request
and closes it before answering, so every answer sees what other people wrote a moment
ago and no connection outlives its request::

    python coverage_service.py /srv/osen --port 8080
    curl 'http://localhost:8080/coverage?period=2026-H2&group=naeringslivet'

Routes (``period`` defaults to this year, ``as_of`` to today):

- ``GET /coverage?period=…&as_of=…&group=…``: each target group (``group`` repeatable);
- ``GET /commitments?period=…&as_of=…``: each commitment of the plan.

A bad period or date answers 400, an unknown group 404, each with ``{"error": …}``. Any
WSGI server runs it (``make_app`` returns the application): gunicorn, waitress, mod_wsgi.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from interessent import (
    InteressentError,
    InvalidInput,
    NotFound,
    Period,
    Workspace,
    check_commitments,
    measure_coverage,
    parse_date,
    parse_period,
)


def _when(query: dict[str, list[str]]) -> tuple[Period, dt.date]:
    as_of = parse_date(query["as_of"][0], field="as_of") if "as_of" in query else dt.date.today()
    period = (parse_period(query["period"][0], field="period") if "period" in query
              else Period.year(as_of.year))
    return period, as_of


def _answer(ws: Workspace, path: str, query: dict[str, list[str]]) -> Any:
    period, as_of = _when(query)
    if path == "/coverage":
        groups = measure_coverage(ws, period, as_of=as_of, groups=query.get("group"))
        return {"period": str(period), "as_of": as_of.isoformat(),
                "groups": [g.to_dict() for g in groups]}
    if path == "/commitments":
        return {"period": str(period), "as_of": as_of.isoformat(),
                "commitments": [c.to_dict()
                                for c in check_commitments(ws, period, as_of=as_of)]}
    raise LookupError(path)


def make_app(root: Path | str, *, db: str | None = None) -> WSGIApplication:
    """The WSGI application serving the workspace at ``root`` (its database ``db``, by
    default the folder's own)."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        path = environ.get("PATH_INFO", "/")
        status, body = "200 OK", None
        if environ.get("REQUEST_METHOD", "GET") != "GET":
            status, body = "405 Method Not Allowed", {"error": "only GET"}
        else:
            try:
                with Workspace(root, db=db) as ws:  # one per request, closed before we answer
                    body = _answer(ws, path, query)
            except NotFound as exc:
                status, body = "404 Not Found", {"error": str(exc)}
            except InvalidInput as exc:
                status, body = "400 Bad Request", {"error": str(exc)}
            except LookupError:
                status, body = "404 Not Found", {"error": f"no such page: {path}"}
            except InteressentError as exc:
                status, body = "500 Internal Server Error", {"error": str(exc)}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        start_response(status, [("Content-Type", "application/json; charset=utf-8"),
                                ("Content-Length", str(len(data)))])
        return [data]

    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Coverage and commitments as JSON.")
    parser.add_argument("workspace", type=Path, help="the folder with interessent.toml")
    parser.add_argument("--db", help="the database URL, when not the folder's SQLite file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    with make_server(args.host, args.port, make_app(args.workspace, db=args.db)) as server:
        print(f"serving {args.workspace} on http://{args.host}:{server.server_port}/")
        server.serve_forever()


if __name__ == "__main__":
    main()
