"""The Pelican side: the only code that touches Pelican. One `Run` per Pelican run,
kept on the objects Pelican hands the handlers, never in module globals."""
