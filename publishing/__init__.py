"""The application, in four rooms, each on its own floor; a room may use the floors below it, never
one above: `issuing` (the one service that issues a copy, and the PALS desk on top of it), `importing`
(a trust's Word leaflets into `source/`), `translation` (the translators' workflow) and `engine` (plan,
build, state, manifest, catalogue). All sit above the writers (`formats`) and the core (`leaflets`);
neither of those ever imports the application."""
