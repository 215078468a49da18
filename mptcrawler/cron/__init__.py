"""The machinery of cron runs around the crawl itself: one run at a time per state database
(:mod:`.lock`), unique run ids (:mod:`.runid`), and the exit statuses a cron job acts on
(:mod:`.exits`)."""
