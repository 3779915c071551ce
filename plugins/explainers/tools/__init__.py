"""The make targets' commands: build, check, new, schema, import, the dev server, the
output folder's swap, publishing."""
