"""The build engine: plan what a build must make, run the work, keep its state, write the manifest,
the catalogue page and the output folder. Below the translators' workflow and the issuing of copies."""
