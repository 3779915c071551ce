"""Rendering: the page view of a read explainer and what is made from it (structured
data, claims as data, feed notes). Reads the document's model; never reads files."""
