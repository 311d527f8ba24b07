"""What an import writes into a section's admin history (`LogEntry`), so that
editors see every change an import made, with what it kept and undid."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Section
from .merging import Clash, Merge, field_label

# LogEntry needs a user. A command has none, so its changes are recorded under
# this account, which cannot log in (inactive, unusable password).
IMPORT_ACCOUNT = "akkoordmonitor-import"


def import_account_id() -> int:
    User = get_user_model()
    account, _created = User.objects.get_or_create(
        **{User.USERNAME_FIELD: IMPORT_ACCOUNT},
        defaults={"is_active": False, "password": make_password(None)},
    )
    return account.pk


def _quoted(text: str) -> str:
    return f"«{text}»"


def _clash_sentence(clash: Clash) -> str:
    return capfirst(_clash_text(clash))


def _clash_text(clash: Clash) -> str:
    if clash.overwritten:
        return _("%(part)s overschreven met het bestand; de redacteur had %(editor)s.") % {
            "part": clash.part,
            "editor": _quoted(clash.editor_value),
        }
    return _(
        "%(part)s niet overgenomen: een redacteur wijzigde het; het bestand zegt %(file)s."
    ) % {"part": clash.part, "file": _quoted(clash.file_value)}


def added_message(*, source: str, citations: int, incomplete: int) -> str:
    return _(
        "Geïmporteerd uit %(source)s: %(citations)s referenties, waarvan %(incomplete)s onvolledig."
    ) % {"source": source, "citations": citations, "incomplete": incomplete}


def changed_message(
    *, source: str, merge: Merge, created: list[int], updated: list[int], provenance: bool
) -> str:
    """One readable paragraph: what the import changed, then each clash."""
    parts = [field_label(name) for name in merge.fields]
    if created:
        parts.append(_("nieuwe referenties %(numbers)s") % {"numbers": _numbers(created)})
    if updated:
        parts.append(_("bijgewerkte referenties %(numbers)s") % {"numbers": _numbers(updated)})
    if merge.delete_citations:
        parts.append(
            _("verwijderde referenties %(numbers)s")
            % {"numbers": _numbers(sorted(merge.delete_citations))}
        )
    if provenance:
        parts.append(_("bronbestand"))
    if parts:
        sentences = [
            _("Import uit %(source)s: %(parts)s.") % {"source": source, "parts": ", ".join(parts)}
        ]
    else:
        sentences = [_("Import uit %(source)s: niets overgenomen.") % {"source": source}]
    sentences.extend(_clash_sentence(clash) for clash in merge.clashes)
    return " ".join(sentences)


def _numbers(numbers: list[int]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def log_entries(*, user_id: int, entries: list[tuple[Section, bool, str]]) -> None:
    """One LogEntry per (section, created, message), in one INSERT."""
    if not entries:
        return
    content_type = ContentType.objects.get_for_model(Section)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                user_id=user_id,
                content_type=content_type,
                object_id=str(section.pk),
                object_repr=str(section)[:200],
                action_flag=ADDITION if created else CHANGE,
                change_message=message,
            )
            for section, created, message in entries
        ],
        batch_size=500,
    )
