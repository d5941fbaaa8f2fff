"""Which public function each command calls: the one place that says so.

Keyed by the command as typed (``privacy opt-in``); each value names functions of
``interessent.__all__``: first the one the command is for, then any its options choose
instead (``coverage --commitment`` checks commitments). A command calls them as
``interessent.NAME(...)``, nothing of the library's modules directly, and
``tests/test_cli_functions.py`` walks the click commands to hold every one of them to
this table; ``docs/api.md`` shows it as "CLI command → function".
"""

from __future__ import annotations

__all__ = ["FUNCTIONS"]

FUNCTIONS: dict[str, tuple[str, ...]] = {
    "backup": ("backup",),
    "concern add": ("add_concern",),
    "concern close": ("close_concern",),
    "concern list": ("concerns",),
    "coverage": ("measure_coverage", "check_commitments", "explain_commitments"),
    "draft": ("draft",),
    "due": ("due",),
    "export": ("export", "write_graph"),
    "import": ("import_file", "import_calendar", "import_mail"),
    "init": ("init_workspace",),
    "interaction edit": ("edit_interaction",),
    "interaction remove": ("remove_interaction",),
    "leaders": ("rank_leaders", "leader_reasons"),
    "log": ("log_interaction",),
    "notify": ("notify",),
    "plan check": ("check_plan",),
    "privacy audit": ("audit_log",),
    "privacy compact": ("compact",),
    "privacy consent": ("record_consent",),
    "privacy consents": ("consents",),
    "privacy erase": ("erase", "plan_erasure"),
    "privacy export": ("export_person",),
    "privacy opt-in": ("opt_in",),
    "privacy opt-out": ("opt_out",),
    "privacy restrict": ("restrict",),
    "privacy retention": ("retention",),
    "privacy unrestrict": ("unrestrict",),
    "privacy withdraw": ("withdraw_consent",),
    "relationship add": ("add_relationship",),
    "relationship edit": ("edit_relationship",),
    "relationship remove": ("remove_relationship",),
    "report": ("write_report",),
    "risks": ("structural_risks",),
    "stakeholder add": ("add_stakeholder",),
    "stakeholder edit": ("edit_stakeholder", "set_stance"),
    "stakeholder list": ("find_stakeholders",),
    "stakeholder show": ("stakeholder_profile",),
    "task add": ("add_task",),
    "task done": ("complete_task",),
    "task list": ("tasks",),
    "templates list": ("list_templates",),
    "templates show": ("template_source",),
}
