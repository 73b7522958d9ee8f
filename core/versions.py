"""Cached reads that are never stale: a version token per startup and per topic, renewed on every write.

A read about one startup (its alerts, its audit trail, its impact section…) is cached under a key holding the
startup's token, the global token and the language; every save or delete of a row that belongs to the startup (the
apps register with `track_app`) gives the startup a new token — at once, and again when the transaction commits — so
that the next read misses and computes afresh. A row that belongs to no one startup (an incubator, a committee
session…) renews the global token, which every key holds. Topics ("network": phases, decisions, sessions, money;
"teams": memberships and startups) are tokens of their own for reads over the whole portfolio; "portfolio" is
renewed with any startup's token. Writes that bypass the model signals (bulk inserts, `QuerySet.update`) call
`touch(...)` themselves.

The tokens live in the shared cache (`CACHES["default"]`: the database's cache table, or Redis): every instance
of the app sees the same ones. With the database cache, a token written in a transaction becomes visible with
it; with Redis, the second renewal at commit covers a read made between the two.
"""

import itertools
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

GLOBAL = "*"
PORTFOLIO = "portfolio"
DATA_TIMEOUT = 60 * 60 * 24  # a cached read lives a day at most (dates in it change with the day anyway)
_MISSING = object()

# Called with (startup pks, topics) whenever tokens are renewed: aggregates kept up to date row by row.
_LISTENERS: list[Callable[[set, set], None]] = []
# app label -> model names that do not change what a startup's pages show (logs, jobs, shared vocabularies)
_TRACKED: dict[str, set[str]] = {}
# model -> the topics its writes renew, besides its startup
_TOPICS: dict[type, tuple[str, ...]] = {}
# Paths from a row to its startup, tried in turn.
_PATHS = (
    ("startup_id",),
    ("investigation", "startup_id"),
    ("decision", "startup_id"),
    ("review", "startup_id"),
    ("interview", "investigation", "startup_id"),
)


# The tokens a request has read, so that its several cached reads ask the cache once (forgotten at its end, and
# at any write it makes).
_REQUEST_TOKENS: ContextVar[dict | None] = ContextVar("versions_request_tokens", default=None)


def _request_started(**kwargs):
    _REQUEST_TOKENS.set({})


def _request_finished(**kwargs):
    _REQUEST_TOKENS.set(None)


def request_memo() -> dict | None:
    """What the current request has read of the cache's tokens and markers (None outside a request); emptied by any
    write it makes."""
    return _REQUEST_TOKENS.get()


def _startup_key(pk) -> str:
    return f"v:startup:{pk}"


def _topic_key(topic: str) -> str:
    return f"v:topic:{topic}"


def _token() -> str:
    return uuid.uuid4().hex[:16]


def touch(*, startups: Iterable = (), topics: Iterable[str] = ()) -> None:
    """Renew the tokens of these startups (their pks) and topics (GLOBAL renews every cached read)."""
    startups, topics = {pk for pk in startups if pk is not None}, set(topics)
    if startups:
        topics.add(PORTFOLIO)  # reads over every startup (the dashboard's board) change with any of them
    keys = sorted({_startup_key(pk) for pk in startups} | {_topic_key(t) for t in topics})
    if not keys:
        return

    def renew():
        cache.set_many({key: _token() for key in keys}, timeout=None)
        if (known := _REQUEST_TOKENS.get()) is not None:
            known.clear()
        for listener in _LISTENERS:
            listener(startups, topics)

    renew()
    transaction.on_commit(renew)


def _tokens(keys: list[str]) -> list[str]:
    known = _REQUEST_TOKENS.get()
    found = {key: known[key] for key in keys if key in known} if known is not None else {}
    if missing := [key for key in keys if key not in found]:
        found |= cache.get_many(missing)
    for key in keys:
        if key not in found:  # never written, or evicted: a new token, unless another process just made one
            token = _token()
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key)
    if known is not None:
        known.update(found)
    return [found[key] for key in keys]


def _key(name: str, startup, topics: Iterable[str], vary: Iterable) -> str:
    keys = [_topic_key(GLOBAL), *(_topic_key(t) for t in topics)]
    if startup is not None:
        keys.append(_startup_key(startup))
    parts = [name, str(startup or ""), *_tokens(keys), translation.get_language() or "", *map(str, vary)]
    return "c:" + ":".join(parts)


def cached(
    name: str,
    compute: Callable[[], object],
    *,
    startup=None,
    topics: Iterable[str] = (),
    vary: Iterable = (),
    timeout: int = DATA_TIMEOUT,
):
    """`compute()`, or its value cached under `name`, the startup's (a pk) and topics' tokens, the global token,
    the active language and `vary` (whatever else the value depends on: a date, a person's rights…)."""
    key = _key(name, startup, topics, vary)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def listen(listener: Callable[[set, set], None]) -> None:
    """Call `listener(startup_pks, topics)` at every renewal (in the writer's transaction, and again at commit)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def cached_stream(
    name: str,
    produce: Callable[[], Iterable[str]],
    *,
    topics: Iterable[str] = (),
    vary: Iterable = (),
    chunk: int = 1000,
    timeout: int = DATA_TIMEOUT,
):
    """The pieces of text `produce()` yields (the lines of an export), kept in the cache in chunks of `chunk` pieces
    under the same kind of key as `cached`: served chunk by chunk, so that memory holds one chunk whatever the
    length; the chunk count is written last, so that an interrupted run is never taken for a complete one. The key
    is read at once (in the request's language and tokens), the text when the stream is read."""
    return _stream(_key(name, None, topics, vary), produce, chunk, timeout)


def _stream(key: str, produce, chunk: int, timeout: int):
    count = cache.get(f"{key}:n")
    if count is not None:
        for index in range(count):
            text = cache.get(f"{key}:{index}")
            if text is None:  # evicted meanwhile: the same text again (same tokens, same data), from where it was
                yield from itertools.islice(produce(), index * chunk, None)
                return
            yield text
        return
    pieces, index = [], 0
    for piece in produce():
        pieces.append(piece)
        if len(pieces) == chunk:
            text = "".join(pieces)
            cache.set(f"{key}:{index}", text, timeout)
            yield text
            pieces, index = [], index + 1
    if pieces:
        text = "".join(pieces)
        cache.set(f"{key}:{index}", text, timeout)
        yield text
        index += 1
    cache.set(f"{key}:n", index, timeout)


# --- What renews the tokens: the rows of the tracked apps ------------------------------------------------
def track_app(label: str, *, ignore: Iterable[str] = (), topics: dict[str, tuple[str, ...]] | None = None) -> None:
    """Renew the tokens when a row of the app `label` is saved or deleted (its models but `ignore`, by name);
    `topics` names, per model, the topics its writes renew too. Called from the app's `ready()`."""
    _TRACKED[label] = set(ignore)
    for model_name, model_topics in (topics or {}).items():
        _TOPICS[apps.get_model(label, model_name)] = tuple(model_topics)


def _tracked(model) -> bool:
    ignored = _TRACKED.get(model._meta.app_label)
    return ignored is not None and model.__name__ not in ignored and not model.__name__.startswith("Historical")


def _startup_of(instance):
    """The pk of the startup a row belongs to, None when it belongs to no single one."""
    if instance._meta.model_name == "startup" and instance._meta.app_label in _TRACKED:
        return instance.pk
    for path in _PATHS:
        value = instance
        try:
            for attribute in path:
                value = getattr(value, attribute)
        except (AttributeError, LookupError):
            continue
        except Exception:  # noqa: BLE001 — a related row already deleted in a cascade: renew everything
            return None
        return value
    return None


def _on_write(sender, instance, **kwargs):
    if not _tracked(sender):
        return
    startup = _startup_of(instance)
    topics = set(_TOPICS.get(sender, ()))
    if startup is None:
        topics.add(GLOBAL)
    touch(startups=[startup], topics=topics)


def _on_m2m(sender, instance, action, model, pk_set, **kwargs):
    """A link added or removed: the row that holds the link, or, seen from the other side, the startups linked."""
    if not action.startswith("post_"):
        return
    if _tracked(model) and model._meta.model_name == "startup" and not isinstance(instance, model):
        touch(startups=pk_set or [], topics=set(_TOPICS.get(model, ())) | ({GLOBAL} if not pk_set else set()))
    else:
        _on_write(type(instance), instance)


request_started.connect(_request_started, dispatch_uid="core.versions.request_started")
request_finished.connect(_request_finished, dispatch_uid="core.versions.request_finished")
post_save.connect(_on_write, dispatch_uid="core.versions.save")
post_delete.connect(_on_write, dispatch_uid="core.versions.delete")
m2m_changed.connect(_on_m2m, dispatch_uid="core.versions.m2m")
