"""Glossator's terminal side: the Textual reading app and the ``glossator`` command line."""
