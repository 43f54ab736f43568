"""The ``moncompte`` command and its reports (installed as ``moncompte.harness``).

It runs the features (``moncompte.steps``, inside pytest) against a target, one pytest sub-run per
driver, and turns their scenario results into the reports:

- ``cli``: the command line and its sub-commands;
- ``check``: ``moncompte check``, the orchestration of a run;
- ``targets``: the processes a run starts (reference implementation, FranceConnect stand-in) and
  the reachability of a target;
- ``suite``: the pytest sub-run of one driver;
- ``conformance``: per-rule verdicts (pure); ``schemas``: their JSON Schema;
- ``ci_formats``: JUnit XML and Cucumber JSON; ``report_html``: ``report.html``; ``console``: what
  the command prints;
- ``profile_cli``, ``preflight``: ``moncompte profile`` and the locator check before a browser run.
"""
