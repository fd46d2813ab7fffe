"""The application layer: plan and run builds, keep their state, write the manifest and catalogue,
answer requests, run the translators' workflow. It sits above the writers (`formats`) and the
core (`leaflets`); neither of those ever imports it."""
