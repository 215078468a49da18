"""Command line of the replica.

    mptcrawler-replica serve --articles 300 --port 8800
    mptcrawler-replica serve --articles 300 --weight live   # pages as heavy as the live site's
    mptcrawler-replica serve --articles 300 --sitemap       # robots.txt announces a sitemap
    mptcrawler-replica truth --articles 300 --out truth/
    mptcrawler-replica crawl --articles 300            # serve, run `scrapy crawl mpt`, stop

``crawl`` is the newcomer's offline demo: it runs the real ``scrapy crawl mpt`` against a replica
on 127.0.0.1 with politeness off (it is our own server) and prints where the output went. Its
data go to their own folder (``--data``, default data/replica), never among the live site's:
a data folder holds one site (mptcrawler/cron/site.py), and a replica is the same site on any
port, so a second demo run is an incremental run of the first's. ``serve`` prints the crawl
command that does the same against the replica it serves.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import report
from .. import settings as project_settings
from ..cli import HelpFormatter, add_version
from .faults import HOSTILE_KINDS
from .site import WEIGHTS, ReplicaSite, build_site
from .sitemap import CHUNK as SITEMAP_CHUNK
from .sitemap import STYLES as SITEMAP_STYLES

# A replica on loopback needs no politeness; every other setting stays as the live crawl has it.
REPLICA_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "MPT_ROBOTS_CRAWL_DELAY": "False",  # the replica's robots.txt asks for Drupal's 10 s
    "MPT_RETRY_BACKOFF": "0.05",
    "MPT_RETRY_MAX_WAIT": "2",
}


def _site_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=300, help="number of articles (≥1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    parser.add_argument("--span-days", type=int, help="put all articles in the last N days")
    parser.add_argument("--added", type=int, default=0, help="articles newer than all others")
    parser.add_argument("--edited", type=int, default=0, help="edit the N newest articles")
    parser.add_argument("--deleted", type=int, default=0,
                        help="delete the N newest articles after the edited ones (404)")
    parser.add_argument("--edited-old", type=int, default=0,
                        help="edit N articles spread over the older half of the archive")
    parser.add_argument("--deleted-old", type=int, default=0,
                        help="delete N articles spread over the older half of the archive")
    parser.add_argument("--renamed", type=int, default=0,
                        help="give N recent era-C articles a new alias (the old one redirects)")
    parser.add_argument("--translations", action="store_true",
                        help="translations in both Drupal styles (era C: one node, an alias "
                             "per language, hreflang alternates; era B: a translation set of "
                             "nodes linked by the switcher), and /be/node/N pages that fall "
                             "back to another language's text")
    parser.add_argument("--variants", type=int, metavar="SEED",
                        help="render every page one of the many ways real Drupal does, drawn "
                             "per page from SEED (same articles, same ground truth)")
    parser.add_argument("--card-rows", action="store_true",
                        help="/{lang}/news renders each row as one card wrapped in the node's "
                             "link (Drupal 8+ card view modes, in Views rows and grids); "
                             "every other page as without it")
    parser.add_argument("--sitemap", nargs="?", const="simple_sitemap", choices=SITEMAP_STYLES,
                        help="robots.txt announces /sitemap.xml, written as that Drupal module "
                             "writes it (an index of chunks ?page=N, lastmod of each article's "
                             "last change); malformed: one cut off mid-element; missing: "
                             "announced, answers 404")
    parser.add_argument("--sitemap-chunk", type=int, default=SITEMAP_CHUNK,
                        help="links per chunk of the sitemap, as simple_sitemap writes them")
    parser.add_argument("--weight", choices=WEIGHTS, default="small",
                        help="page chrome: small (~9 KB pages, for fast tests) or live (the "
                             "live site's ~60 KB of menus, scripts, styles, banners, footer)")


def _build(ns: argparse.Namespace) -> ReplicaSite:
    site = build_site(ns.articles, ns.seed, span_days=ns.span_days, added=ns.added,
                      edited=ns.edited, deleted=ns.deleted, renamed=ns.renamed,
                      edited_old=ns.edited_old, deleted_old=ns.deleted_old,
                      variants=ns.variants, weight=ns.weight, translations=ns.translations)
    site.sitemap, site.sitemap_chunk = ns.sitemap, ns.sitemap_chunk
    site.cards = ns.card_rows
    return site


def start_server(articles: int, seed: int, workdir: Path, access_log: Path | None = None,
                 timeout: float = 60.0, port: int = 0, extra: tuple[str, ...] = ()
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``serve`` in a child process; return it and its base URL once it listens.
    ``extra``: more ``serve`` options, e.g. ``("--added", "5")``."""
    port_file = workdir / "replica.url"
    port_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "mptcrawler.replica", "serve", "--articles", str(articles),
           "--seed", str(seed), "--port-file", str(port_file), "--port", str(port), *extra]
    if access_log is not None:
        cmd += ["--access-log", str(access_log)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not port_file.exists():
        if proc.poll() is not None:
            raise RuntimeError(f"replica server exited with status {proc.returncode}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"replica server did not start within {timeout:.0f} s")
        time.sleep(0.05)
    return proc, port_file.read_text(encoding="utf-8").strip()


# Where a replica's data go by default: beside the live site's data/, never in it.
REPLICA_DATA = "data/replica"
# The project's settings that name a file or folder under data/ (settings.py).
DATA_SETTINGS = ("MPT_DATASET_URI", "MPT_PARQUET_URI", "MPT_SUMMARY_URI", "MPT_FAILURES_URI",
                 "MPT_WARC_URI", "MPT_MARKDOWN_URI", "MPT_STATE_PATH")


def data_settings(folder: str) -> dict[str, str]:
    """The project's data settings with ``data/`` replaced by ``folder``."""
    return {name: folder.rstrip("/") + "/" + str(getattr(project_settings, name)).removeprefix(
        "data/") for name in DATA_SETTINGS}


def scrapy_command(base_url: str, *args: str, data: str | None = None,
                   program: tuple[str, ...] = (sys.executable, "-m", "scrapy")) -> list[str]:
    """`scrapy crawl mpt` against the replica at ``base_url``, politeness off; its data in
    ``data`` if given."""
    cmd = [*program, "crawl", "mpt", "-s", f"MPT_BASE_URL={base_url}"]
    for name, value in {**REPLICA_SETTINGS, **(data_settings(data) if data else {})}.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd + list(args)


def crawl_recipe(base_url: str) -> str:
    """The command to crawl a replica served by hand, as ``serve`` prints it: politeness off
    (the replica's robots.txt asks for Drupal's Crawl-delay of 10 s: 5 pages a minute) and the
    data in data/replica."""
    words = [shlex.quote(word) for word in
             scrapy_command(base_url, "-a", "lang=all", data=REPLICA_DATA, program=("scrapy",))]
    pairs = [" ".join(words[i:i + 2]) for i in range(3, len(words), 2)]  # -s NAME=VALUE each
    return " \\\n    ".join([" ".join(words[:3]), *pairs])


def _crawl(ns: argparse.Namespace) -> int:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    started = time.time()
    data = Path(ns.data)
    with tempfile.TemporaryDirectory(prefix="mpt-replica-") as tmp:
        proc, base = start_server(ns.articles, ns.seed, Path(tmp))
        print(f"replica of {ns.articles} articles at {base}; data in {data}/", flush=True)
        try:
            status = subprocess.call(scrapy_command(base, "-a", f"lang={ns.lang}",
                                                    *ns.scrapy_args, data=str(data)), env=env)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    outputs = sorted(p for p in data.rglob("mpt-*") if p.stat().st_mtime >= started - 1) \
        if data.is_dir() else []
    for path in outputs:
        if path.is_file() or (path.is_dir() and path.parent.name == "markdown"):
            print(f"output: {path}")
    if status == 0 and (data / "manifest.jsonl").exists():
        report.main(["--data", str(data)])  # the picture of every run so far
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mptcrawler-replica", description=__doc__,
                                     formatter_class=HelpFormatter)
    add_version(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="serve a replica over HTTP until stopped",
                             formatter_class=HelpFormatter)
    _site_args(p_serve)
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p_serve.add_argument("--port", type=int, default=0, help="0: any free port")
    p_serve.add_argument("--port-file", type=Path, help="write the base URL here once listening")
    p_serve.add_argument("--access-log", type=Path, help="append each request here")
    p_serve.add_argument("--crawl-delay", type=float, default=10,
                         help="Crawl-delay of robots.txt (Drupal's default: 10)")
    p_serve.add_argument("--faults", default="",
                         help='fault rates, e.g. "5xx=0.1,timeout=0.05,reset=0.05,truncate=0.02"')
    p_serve.add_argument("--fault-seed", type=int, default=0,
                         help="random seed of the faults")
    p_serve.add_argument("--stall", type=float, default=30.0, help="seconds a timeout stalls")
    p_serve.add_argument("--hostile", default="",
                         help="hostile inputs, a comma list of: " + ", ".join(HOSTILE_KINDS))
    p_serve.add_argument("--endless-pager", action="store_true",
                         help="the news listings never end: past the last page, every page "
                              "repeats its entries with a next link (a misconfigured pager)")
    p_truth = sub.add_parser("truth", help="write the expected item of every article",
                             formatter_class=HelpFormatter)
    _site_args(p_truth)
    p_truth.add_argument("--out", type=Path, required=True, help="folder: one <node_id>.json each")
    p_crawl = sub.add_parser("crawl", help="serve a replica and run `scrapy crawl mpt` on it",
                             formatter_class=HelpFormatter)
    _site_args(p_crawl)
    p_crawl.add_argument("--lang", default="all", help="spider argument lang")
    p_crawl.add_argument("--data", default=REPLICA_DATA,
                         help="the data folder (a replica's own, apart from the live site's)")
    p_crawl.add_argument("scrapy_args", nargs="*", help="more arguments for scrapy, after --")
    ns = parser.parse_args(argv)

    if ns.command == "serve":
        from .faults import Faults, hostile_plan
        from .server import serve

        site = _build(ns)
        faults = Faults.parse(ns.faults, ns.fault_seed, ns.stall) if ns.faults else None
        hostile = (hostile_plan(ns.hostile.split(","), [a.path for a in site.articles],
                                {a.path: a.node_path for a in site.articles})
                   if ns.hostile else None)
        serve(site, ns.host, ns.port, ns.port_file, ns.access_log, ns.crawl_delay, faults,
              hostile, ns.endless_pager, announce=lambda base: print(
                  "crawl it with (politeness off, data in data/replica/):\n"
                  + crawl_recipe(base), flush=True))
        return 0
    if ns.command == "truth":
        ns.out.mkdir(parents=True, exist_ok=True)
        truth = _build(ns).truth()
        for item in truth:
            # Drupal 8+ translations share a node id: an article is (node id, language).
            name = f"{item['node_id']}-{item['lang']}" if ns.translations else item["node_id"]
            (ns.out / f"{name}.json").write_text(
                json.dumps(item, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {len(truth)} expected items to {ns.out}")
        return 0
    return _crawl(ns)


if __name__ == "__main__":
    sys.exit(main())
