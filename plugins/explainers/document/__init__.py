"""The document: one content file's text into a validated model, body HTML and problems.

Nothing here imports Pelican, the theme or the network: front matter, the model and its
rules, citations and notes, inline Markdown, links and raw HTML, the site-wide sources.
"""
