"""Glossator's back end: the library of articles, their cleaned text and sentences, the full-text
index, themes, the notes store and export. Nothing here imports Textual."""
