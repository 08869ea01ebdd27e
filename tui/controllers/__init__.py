"""The parts of the main screen that own state but draw nothing: the library, the notes, the
themes and the saved reading state. Each is a non-visual widget with its own workers and
messages; the screen composes them and routes what they say."""
