"""The application, in three rooms with one direction of travel: `issuing` (the one service that
issues a copy, and the PALS desk on top of it) uses `translation` (the translators' workflow), which
uses `engine` (plan, build, state, manifest, catalogue). All sit above the writers (`formats`) and
the core (`leaflets`); neither of those ever imports the application."""
