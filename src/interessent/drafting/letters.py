"""Rendering letters: the variables a template sees for each recipient (what
``docs/drafting.md`` lists), and each letter made in the run's format — Markdown and
text here, HTML from its own variant or from the text, e-mail in :mod:`.mail`, Word in
:mod:`.word`."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..i18n import localized
from .library import _DOCX, _FILE
from .mail import render_eml
from .markup import _text_to_html
from .record import Record
from .text import (
    _CLOSING,
    LANGUAGES,
    LOCALES,
    _format_date,
    _header_text,
    _language_of_locale,
    _salutation,
)
from .word import render_docx

if TYPE_CHECKING:
    from ..model import Stakeholder
    from ..policy import Signature
    from .gathering import _Run
    from .library import _Library


#: Variables gathered only for templates that read them (see :meth:`_Drafter.uses`).
_GATHERED_IF_READ: dict[str, Any] = dict.fromkeys(
    ("commitments", "all_success_stories", "served", "last_interaction", "success_stories",
     "next_commitment", "stories_to_pitch"), "")


@frozen
class _Rendered:
    """One letter rendered in memory, before anything is written."""

    recipient: Stakeholder
    file_stem: str
    ext: str
    content: str | bytes
    subject: str
    language: str
    template: str
    serves: tuple[str, ...]


class _Drafter:
    """Renders the letters of one run: picks each recipient's variant, builds the
    context, and makes the file's content in the run's format."""

    def __init__(self, run: _Run, library: _Library, *, name: str, fmt: str,
                 signature: Signature, combined: bool, event: str | None,
                 values: Mapping[str, str], complete: bool = False) -> None:
        self.run = run
        #: Every variable in every context, read by the template or not (a Word template's
        #: variables are not known in advance, nor those :func:`letter_context` shows).
        self.complete = complete or fmt == "docx"
        self.library = library
        self.name = name
        self.fmt = fmt
        self.signature = signature
        self.combined = combined
        plan = run.plan
        self.home = plan.programme.language if plan.programme.language in LANGUAGES else "nb"
        self.fallback = [self.home, *(lang for lang in LANGUAGES if lang != self.home)]
        sig = signature
        self.signer = {
            "name": sig.name, "title": sig.title, "role": sig.role, "stakeholder": sig.stakeholder,
            "email": sig.email, "phone": sig.phone, "organisation": sig.organisation,
            "topic": sig.topic, "topic_name": sig.topic_name, "rule": sig.rule,
            "cleared_by": sig.cleared_by, "cleared_by_title": sig.cleared_by_title,
            "note": sig.note,
        }
        self.event = event
        self.values = Record(dict(values))
        self._groups: dict[str, Record] = {}
        self._shared: dict[str, dict[str, Any]] = {}
        self._bases: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
        self._languages: dict[str, str] = {}
        self._variants: dict[tuple[str, str, bool], str | None] = {}
        #: the bytes of each Word template, read once per run
        self.docx_sources: dict[str, bytes] = {}

    def variant(self, language: str, markup: str, *, strict: bool = False) -> str | None:
        key = (language, markup, strict)
        if key not in self._variants:
            self._variants[key] = self.library.find(self.name, language, markup, self.fallback,
                                                    strict=strict)
        return self._variants[key]

    def language_of(self, file: str) -> str:
        """The language a template file is written in (its ``.nn`` part, else the
        programme's)."""
        found = self._languages.get(file)
        if found is None:
            match = _FILE.match(file) or _DOCX.match(file)
            found = self._languages[file] = (match.group("lang") if match else None) or self.home
        return found

    def groups(self, language: str) -> Record:
        """The plan's target groups, their names in ``language``."""
        if language not in self._groups:
            self._groups[language] = Record({
                g.key: {"key": g.key, "name": localized(g.name, language), "number": g.number,
                        "description": g.description}
                for g in self.run.plan.groups
            })
        return self._groups[language]

    def shared(self, locale: str) -> dict[str, Any]:
        if locale not in self._shared:
            run = self.run
            language = _language_of_locale(locale)
            signer = {**self.signer, "title": localized(self.signature.title, language)}
            signer["topic_name"] = localized(self.signature.topic_name, language)
            signer["rule"] = localized(self.signature.rule, language)
            if self.signature.cleared_by_title:
                signer["cleared_by_title"] = localized(self.signature.cleared_by_title,
                                                       language)
            self._shared[locale] = {
                "programme": run.programme(locale),
                "signer": signer,
                "groups": self.groups(language),
                "notify_roles": run.notify_roles_in(language),
                "event": self.event,
                "values": self.values,
                "today": run.as_of,
                "as_of": run.as_of,
                "today_text": _format_date(run.as_of, "long", locale),
                "subject": None,
            }
        return self._shared[locale]

    def _base(self, file: str, markup: str) -> tuple[dict[str, Any], str, str]:
        """What every letter rendered from ``file`` as ``markup`` shares."""
        key = (file, markup)
        found = self._bases.get(key)
        if found is None:
            run = self.run
            language = self.language_of(file)
            locale = LOCALES[language]
            base = {**self.library.env.globals, **self.shared(locale)}
            # What costs a query is gathered only for templates that read it.
            if self.uses(file, "commitments"):
                base["commitments"] = run.commitments(locale)
            if self.uses(file, "all_success_stories"):
                base["all_success_stories"] = tuple(
                    run.event_view(i, locale) for i in run.stories)
            if self.uses(file, "served"):
                served = self.library.meta(file).get("serves", ())
                commitments = run.commitments(locale) if served else Record({})
                base["served"] = tuple(commitments[c] for c in served if c in commitments)
            base.update(
                closing=_CLOSING[language],
                letter={
                    "template": self.name, "file": file, "topic": self.signature.topic,
                    "topic_name": localized(self.signature.topic_name, language),
                    "format": self.fmt,
                    "markup": markup, "language": language, "locale": locale,
                    "combined": self.combined, "date": run.as_of,
                    "date_text": _format_date(run.as_of, "long", locale),
                },
            )
            found = self._bases[key] = (base, language, locale)
        return found

    def context(self, s: Stakeholder, file: str, markup: str) -> dict[str, Any]:
        """The variables a template sees for one recipient (docs/drafting.md)."""
        run = self.run
        base, language, locale = self._base(file, markup)
        recipient = run.recipient(s, language)
        ctx = base.copy()
        ctx["recipient"] = recipient
        ctx["salutation"] = _salutation(language, recipient["first_name"], s.is_person)
        if self.uses(file, "last_interaction"):
            ctx["last_interaction"] = run.last_interaction(s.id, locale)
        if self.uses(file, "success_stories"):
            ctx["success_stories"] = run.success_stories(s, locale)
        if self.uses(file, "stories_to_pitch"):
            ctx["stories_to_pitch"] = run.stories_to_pitch(s, locale)
        if self.uses(file, "next_commitment"):
            ctx["next_commitment"] = run.next_commitment(recipient["group_keys"], locale)
        return ctx

    def uses(self, file: str, name: str) -> bool:
        """Whether letters from ``file`` may read the variable ``name``."""
        if self.complete:
            return True
        names = self.library.variables(file)
        return names is None or name in names

    def render_text(self, s: Stakeholder, markup: str, *,
                    strict: bool = False) -> tuple[str, str | None, str, dict[str, Any]] | None:
        """(text, subject, file, context) of the variant for ``markup``, or None. The
        context includes what the template set at its top level (``subject`` …)."""
        file = self.variant(s.language.value, markup, strict=strict)
        if file is None:
            return None
        ctx = self.context(s, file, markup)
        template = self.library.template(file)
        # One render of the compiled template; what it set at its top level is read from
        # the render's own context, not from a module made for each letter. ``shared``:
        # the context is the letter's own copy (with Jinja's globals), not copied again.
        state = template.new_context(ctx, shared=True)
        # An error names the letter's fields, those not gathered for this template too.
        fields = ChainMap(ctx, _GATHERED_IF_READ)
        text = self.library.call(lambda: "".join(template.root_render_func(state)), file,
                                 fields)
        exported = {k: v for k, v in state.get_exported().items() if not k.startswith("_")}
        if exported:
            ctx.update(exported)
        subject = exported.get("subject")
        return text, (_header_text(str(subject)) if subject else None), file, ctx

    def subject_default(self) -> str:
        return f"{localized(self.run.plan.programme.name, self.home)}: {self.name}"

    def served_for(self, s: Stakeholder, file: str) -> tuple[str, ...]:
        """The commitments the template serves that concern the recipient's groups."""
        serves = self.library.meta(file).get("serves", ())
        if not serves:
            return ()
        groups = set(self.run.groups_of.get(s.id, ()))
        plan = self.run.plan
        return tuple(c for c in serves if set(plan.commitment(c).groups) & groups)

    def render(self, s: Stakeholder) -> _Rendered:
        fmt = self.fmt
        if fmt in ("md", "txt"):
            text_result = self.render_text(s, fmt)
            assert text_result is not None
            text, subject, file, _ = text_result
            subject = subject or self.subject_default()
            # no provenance in what the recipient reads: who signed under which rule is
            # in the run (its summary, and the journal with --record)
            content: str | bytes = text if fmt == "md" else f"{text.rstrip()}\n"
        elif fmt == "html":
            # the HTML variant only when it is in the language of the text one (an
            # English recipient of a template with a bokmål HTML variant gets the English
            # text as HTML)
            html_file = self.variant(s.language.value, "html", strict=True)
            text_file = self.variant(s.language.value, "txt")
            same = html_file is not None and (
                text_file is None or self.language_of(html_file) == self.language_of(text_file))
            result = self.render_text(s, "html", strict=True) if same else None
            if result is None:
                plain = self.render_text(s, "txt")
                assert plain is not None
                text, subject, file, _ = plain
                subject = subject or self.subject_default()
                html = _text_to_html(text, subject, self.language_of(file))
            else:
                html, subject, file, _ = result
                subject = subject or self.subject_default()
            content = html
        elif fmt == "eml":
            content, subject, file = render_eml(self, s)
        else:
            content, subject, file = render_docx(self, s)
        return _Rendered(
            recipient=s, file_stem=s.id, ext=fmt, content=content, subject=subject,
            language=self.language_of(file), template=file, serves=self.served_for(s, file),
        )
