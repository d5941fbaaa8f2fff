"""interessent: run the communication side of a public programme by its written strategy.

>>> import interessent
>>> interessent.parse_period("2026-Q3")
Period(start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30))

The public API is what ``__all__`` lists. Names whose modules import heavy libraries
(SQLAlchemy, networkx, Jinja) load on first use, so ``import interessent`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ImportRejected as ImportRejected
from .errors import InteressentError as InteressentError
from .errors import InvalidInput as InvalidInput
from .errors import NotFound as NotFound
from .errors import PathError as PathError
from .errors import PlanError as PlanError
from .errors import PlanProblem as PlanProblem
from .errors import PolicyError as PolicyError
from .errors import RowProblem as RowProblem
from .errors import StoreBusy as StoreBusy
from .errors import StoreError as StoreError
from .errors import TemplateProblem as TemplateProblem
from .errors import TemplateSecurityError as TemplateSecurityError
from .errors import WorkspaceError as WorkspaceError
from .model import Interaction as Interaction
from .model import Kind as Kind
from .model import Language as Language
from .model import Relationship as Relationship
from .model import RelationshipKind as RelationshipKind
from .model import RoleAssignment as RoleAssignment
from .model import Sentiment as Sentiment
from .model import Stakeholder as Stakeholder
from .model import Stance as Stance
from .periods import Period as Period
from .periods import Unit as Unit
from .periods import parse_date as parse_date
from .periods import parse_period as parse_period

if TYPE_CHECKING:
    from . import coverage as coverage
    from .backups import Backup as Backup
    from .backups import backup as backup
    from .coverage import CommitmentExplanation as CommitmentExplanation
    from .coverage import CommitmentStatus as CommitmentStatus
    from .coverage import DueItem as DueItem
    from .coverage import Dues as Dues
    from .coverage import GroupCoverage as GroupCoverage
    from .coverage import Status as Status
    from .coverage import check_commitments as check_commitments
    from .coverage import due as due
    from .coverage import explain_commitment as explain_commitment
    from .coverage import explain_commitments as explain_commitments
    from .coverage import measure_coverage as measure_coverage
    from .drafting import DraftRun as DraftRun
    from .drafting import Letter as Letter
    from .drafting import draft as draft
    from .drafting import list_templates as list_templates
    from .drafting import notify as notify
    from .drafting import template_source as template_source
    from .exporting import export as export
    from .exporting import export_records as export_records
    from .followup import Clearance as Clearance
    from .followup import Concern as Concern
    from .followup import Task as Task
    from .followup import add_concern as add_concern
    from .followup import add_task as add_task
    from .followup import clearances as clearances
    from .followup import close_concern as close_concern
    from .followup import complete_task as complete_task
    from .followup import concerns as concerns
    from .followup import tasks as tasks
    from .graph import LeaderScore as LeaderScore
    from .graph import build_graph as build_graph
    from .graph import explain as explain
    from .graph import leader_reasons as leader_reasons
    from .graph import rank_graph as rank_graph
    from .graph import rank_leaders as rank_leaders
    from .graph import write_graph as write_graph
    from .importing import CaptureResult as CaptureResult
    from .importing import ImportResult as ImportResult
    from .importing import import_calendar as import_calendar
    from .importing import import_file as import_file
    from .importing import import_mail as import_mail
    from .importing import import_rows as import_rows
    from .plan import Commitment as Commitment
    from .plan import CommitmentKind as CommitmentKind
    from .plan import KeyMessage as KeyMessage
    from .plan import Plan as Plan
    from .plan import TargetGroup as TargetGroup
    from .plan import load_plan as load_plan
    from .plan import parse_plan as parse_plan
    from .plan_check import check_plan as check_plan
    from .policy import Signature as Signature
    from .policy import notification_list as notification_list
    from .policy import resolve_signer as resolve_signer
    from .privacy import audit_log as audit_log
    from .privacy import compact as compact
    from .privacy import consents as consents
    from .privacy import erase as erase
    from .privacy import export_person as export_person
    from .privacy import opt_in as opt_in
    from .privacy import opt_out as opt_out
    from .privacy import plan_erasure as plan_erasure
    from .privacy import record_consent as record_consent
    from .privacy import restrict as restrict
    from .privacy import retention as retention
    from .privacy import unrestrict as unrestrict
    from .privacy import withdraw_consent as withdraw_consent
    from .registry import add_relationship as add_relationship
    from .registry import add_stakeholder as add_stakeholder
    from .registry import edit_interaction as edit_interaction
    from .registry import edit_relationship as edit_relationship
    from .registry import edit_stakeholder as edit_stakeholder
    from .registry import find_stakeholders as find_stakeholders
    from .registry import log_interaction as log_interaction
    from .registry import remove_interaction as remove_interaction
    from .registry import remove_relationship as remove_relationship
    from .registry import stakeholder_profile as stakeholder_profile
    from .report import build_report as build_report
    from .report import render_report as render_report
    from .report import write_report as write_report
    from .risk import Risk as Risk
    from .risk import structural_risks as structural_risks
    from .stance import StanceRecord as StanceRecord
    from .stance import set_stance as set_stance
    from .stance import stance_history as stance_history
    from .stance import stance_on as stance_on
    from .store import Store as Store
    from .workspace import Workspace as Workspace
    from .workspace import init_workspace as init_workspace

_LAZY = {
    "Backup": "backups",
    "Clearance": "followup",
    "Commitment": "plan",
    "CommitmentExplanation": "coverage",
    "CommitmentKind": "plan",
    "KeyMessage": "plan",
    "CommitmentStatus": "coverage",
    "Concern": "followup",
    "DraftRun": "drafting",
    "DueItem": "coverage",
    "Dues": "coverage",
    "GroupCoverage": "coverage",
    "CaptureResult": "importing",
    "ImportResult": "importing",
    "LeaderScore": "graph",
    "Letter": "drafting",
    "Plan": "plan",
    "Risk": "risk",
    "Signature": "policy",
    "Status": "coverage",
    "StanceRecord": "stance",
    "Store": "store",
    "TargetGroup": "plan",
    "Task": "followup",
    "Workspace": "workspace",
    "add_concern": "followup",
    "add_relationship": "registry",
    "add_stakeholder": "registry",
    "add_task": "followup",
    "audit_log": "privacy",
    "backup": "backups",
    "build_graph": "graph",
    "build_report": "report",
    "check_commitments": "coverage",
    "check_plan": "plan_check",
    "clearances": "followup",
    "close_concern": "followup",
    "compact": "privacy",
    "complete_task": "followup",
    "concerns": "followup",
    "consents": "privacy",
    "coverage": "_subpackages",
    "draft": "drafting",
    "due": "coverage",
    "edit_interaction": "registry",
    "edit_relationship": "registry",
    "edit_stakeholder": "registry",
    "erase": "privacy",
    "explain": "graph",
    "explain_commitment": "coverage",
    "explain_commitments": "coverage",
    "export": "exporting",
    "export_person": "privacy",
    "export_records": "exporting",
    "find_stakeholders": "registry",
    "import_calendar": "importing",
    "import_file": "importing",
    "import_mail": "importing",
    "import_rows": "importing",
    "init_workspace": "workspace",
    "leader_reasons": "graph",
    "list_templates": "drafting",
    "load_plan": "plan",
    "log_interaction": "registry",
    "measure_coverage": "coverage",
    "notification_list": "policy",
    "notify": "drafting",
    "opt_in": "privacy",
    "opt_out": "privacy",
    "parse_plan": "plan",
    "plan_erasure": "privacy",
    "rank_graph": "graph",
    "rank_leaders": "graph",
    "record_consent": "privacy",
    "remove_interaction": "registry",
    "remove_relationship": "registry",
    "render_report": "report",
    "resolve_signer": "policy",
    "restrict": "privacy",
    "retention": "privacy",
    "set_stance": "stance",
    "stakeholder_profile": "registry",
    "stance_history": "stance",
    "stance_on": "stance",
    "structural_risks": "risk",
    "tasks": "followup",
    "template_source": "drafting",
    "unrestrict": "privacy",
    "withdraw_consent": "privacy",
    "write_graph": "graph",
    "write_report": "report",
}

__all__ = [
    "Backup",
    "CaptureResult",
    "Clearance",
    "Commitment",
    "CommitmentExplanation",
    "CommitmentKind",
    "CommitmentStatus",
    "Concern",
    "DraftRun",
    "DueItem",
    "Dues",
    "GroupCoverage",
    "ImportRejected",
    "ImportResult",
    "Interaction",
    "InteressentError",
    "InvalidInput",
    "KeyMessage",
    "Kind",
    "Language",
    "LeaderScore",
    "Letter",
    "NotFound",
    "PathError",
    "Period",
    "Plan",
    "PlanError",
    "PlanProblem",
    "PolicyError",
    "Relationship",
    "RelationshipKind",
    "Risk",
    "RoleAssignment",
    "RowProblem",
    "Sentiment",
    "Signature",
    "Stakeholder",
    "Stance",
    "StanceRecord",
    "Status",
    "Store",
    "StoreBusy",
    "StoreError",
    "TargetGroup",
    "Task",
    "TemplateProblem",
    "TemplateSecurityError",
    "Unit",
    "Workspace",
    "WorkspaceError",
    "add_concern",
    "add_relationship",
    "add_stakeholder",
    "add_task",
    "audit_log",
    "backup",
    "build_graph",
    "build_report",
    "check_commitments",
    "check_plan",
    "clearances",
    "close_concern",
    "compact",
    "complete_task",
    "concerns",
    "consents",
    "draft",
    "due",
    "edit_interaction",
    "edit_relationship",
    "edit_stakeholder",
    "erase",
    "explain",
    "explain_commitment",
    "explain_commitments",
    "export",
    "export_person",
    "export_records",
    "find_stakeholders",
    "import_calendar",
    "import_file",
    "import_mail",
    "import_rows",
    "init_workspace",
    "leader_reasons",
    "list_templates",
    "load_plan",
    "log_interaction",
    "measure_coverage",
    "notification_list",
    "notify",
    "opt_in",
    "opt_out",
    "parse_date",
    "parse_period",
    "parse_plan",
    "plan_erasure",
    "rank_graph",
    "rank_leaders",
    "record_consent",
    "remove_interaction",
    "remove_relationship",
    "render_report",
    "resolve_signer",
    "restrict",
    "retention",
    "set_stance",
    "stakeholder_profile",
    "stance_history",
    "stance_on",
    "structural_risks",
    "tasks",
    "template_source",
    "unrestrict",
    "withdraw_consent",
    "write_graph",
    "write_report",
]


if not TYPE_CHECKING:  # a type checker sees the names above, and a misspelt one fails
    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'interessent' has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
