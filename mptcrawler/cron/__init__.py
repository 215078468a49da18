"""The machinery of cron runs around the crawl itself: one run at a time per state database
(:mod:`.lock`), the exit statuses a cron job acts on (:mod:`.exits`), checks that the state and
the output folder are usable before the first request (:mod:`.preflight`), and the rotated
copies of the last good state (:mod:`.backup`); the run ids (:mod:`.runid`), the manifest and
``withdrawn.jsonl`` (:mod:`.manifest`), one site per data folder (:mod:`.site`), the frontier a
stopped or limited run leaves (:mod:`.frontier`), and an incremental run's phases
(:mod:`.phases`) with the sitemap (:mod:`.sitemap`)."""
