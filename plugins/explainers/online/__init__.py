"""The tools that go online (`make archive`, `make linkcheck`); building never does."""
