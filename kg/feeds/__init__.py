"""Follow the news: RSS/Atom feeds polled on a schedule, new articles ingested."""
