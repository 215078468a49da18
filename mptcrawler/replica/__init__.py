"""A replica of mpt.gov.by: a deterministic synthetic site, its ground truth, and an HTTP server.

The live site is out of reach from our machines; everything is built and tested against this
replica, which follows ``site.md`` (three eras of pages, hosts, listings, feeds, dates).
"""

from .site import ReplicaArticle, ReplicaSite, build_site

__all__ = ["ReplicaArticle", "ReplicaSite", "build_site"]
