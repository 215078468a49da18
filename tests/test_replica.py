"""The replica follows site.md, is deterministic, and its saved fixtures are current."""

from __future__ import annotations

import collections
import json

from mptcrawler.replica import build_site
from mptcrawler.replica.content import slugify
from mptcrawler.replica.server import route
from mptcrawler.replica.site import SEED_PATH

from .conftest import FIXTURES, PROJECT, require_shared


def test_deterministic() -> None:
    assert build_site(50, 7).truth() == build_site(50, 7).truth()
    assert build_site(50, 7).truth() != build_site(50, 8).truth()


def test_every_era_language_and_quirk_is_present() -> None:
    site = build_site(300, 1)
    kinds = collections.Counter((a.era, a.lang) for a in site.articles)
    assert {era for era, _ in kinds} == {"A", "B", "C"}
    assert {lang for _, lang in kinds} == {"ru", "be", "en"}
    assert any(a.path.startswith("/be/node/") and a.title.isascii() for a in site.articles)
    assert any(a.path.endswith("-0") for a in site.articles)  # repeated titles
    assert any(a.url_date and a.url_date != a.day for a in site.articles)
    assert any(a.nominative_month for a in site.articles)


def test_node_ids_grow_with_dates_like_the_real_counter() -> None:
    site = build_site(300, 1)
    nids = [a.node_id for a in reversed(site.articles)]
    assert nids == sorted(nids) and len(set(nids)) == len(nids)
    seed = site.by_path[SEED_PATH]
    assert 1000 < seed.node_id < 1785  # before March 2017's ~1785


def test_slugs_follow_the_site() -> None:
    assert slugify("Глава Минсвязи поздравляет со Всемирным днем почты") == \
        "glava-minsvyazi-pozdravlyaet-so-vsemirnym-dnem-pochty"
    assert "/" + slugify("Сегодня, 26 апреля в Минсвязи проходит Белорусско-Корейский форум "
                         "в области электронного правительства") == SEED_PATH


def test_bundled_seed_is_the_users_seed() -> None:
    shared = PROJECT.parent / "shared" / "seed" / "000_bc25a1de55ab879d.txt"
    bundled = PROJECT / "mptcrawler" / "replica" / "seed_article.txt"
    require_shared(shared)
    assert bundled.read_bytes() == shared.read_bytes()


def test_routes() -> None:
    site = build_site(40, 1)
    article = next(a for a in site.articles if a.era == "B")
    status, _, page = route(site, article.node_path)
    assert status == 200 and f'<link rel="canonical" href="{article.path}"' in page
    assert route(site, article.print_path)[0] == 200
    assert route(site, "/robots.txt")[2].startswith("#")
    assert route(site, "/ru/news?page=999")[0] == 404
    assert route(site, "/nope")[0] == 404
    assert route(site, "/rss.xml")[1].startswith("application/rss+xml")


def test_saved_fixtures_are_what_the_replica_serves_now() -> None:
    # If this fails, the generator changed: run `python tests/fixtures/regenerate.py` and
    # review the JSON diff.
    snapshots = [p for p in FIXTURES.glob("*.json") if not p.name.endswith(".truth.json")]
    assert len(snapshots) >= 7  # the truth files (test_fixture_truth.py) are not snapshots
    for snapshot in snapshots:
        provenance = json.loads(snapshot.read_text(encoding="utf-8"))["provenance"]
        site = build_site(60, 1, variants=provenance.get("variants"))
        saved = snapshot.with_suffix(".xml" if snapshot.stem == "feed" else ".html")
        assert route(site, provenance["path"])[2] == saved.read_text(encoding="utf-8"), \
            saved.name
