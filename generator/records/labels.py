"""The German words (and symbols) for the codes the records use: what a page, a message or a schema shows for a
signature status or a session state. The models keep only the codes."""

from __future__ import annotations

from enum import Enum

from generator.records.models import SessionState, SignatureStatus

STATUS: dict[SignatureStatus, tuple[str, str]] = {  # (symbol, words)
    SignatureStatus.SIGNED: ("✔", "unterzeichnet"),
    SignatureStatus.RETURNED_UNSIGNED: ("↩", "ohne Unterschrift zurückgesandt"),
    SignatureStatus.NOT_SIGNED: ("○", "nicht unterschrieben"),
    SignatureStatus.REFUSED: ("✘", "Unterzeichnung abgelehnt"),
    SignatureStatus.PENDING: ("…", "Unterschrift ausstehend"),
    SignatureStatus.UNKNOWN: ("?", "nicht bekannt"),
}
STATE: dict[SessionState, str] = {
    SessionState.SCHEDULED: "geplant",
    SessionState.HELD: "stattgefunden",
    SessionState.CANCELLED: "abgesagt",
    SessionState.UNKNOWN: "nicht bekannt",
}


def label(code: Enum) -> str | None:
    """``unterzeichnet`` for ``signed``, ``abgesagt`` for ``cancelled``; ``None`` for a code without words."""
    if isinstance(code, SignatureStatus):
        return STATUS[code][1]
    if isinstance(code, SessionState):
        return STATE[code]
    return None


def words(status: SignatureStatus) -> str:
    return STATUS[status][1]


def icon(status: SignatureStatus) -> str:
    return STATUS[status][0]


def state_words(state: SessionState) -> str:
    return STATE[state]
