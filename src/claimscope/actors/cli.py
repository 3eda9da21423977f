"""`claimscope actors lint` and `claimscope actors find NAME` (mounted by the main CLI)."""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated, Optional

import typer

from .kb import KnowledgeBase, builtin_files, load_entries
from .keys import name_key

app = typer.Typer(help="Inspect the actor knowledge base.\n\nExample: claimscope actors find 'Łatuška'",
                  epilog="Example: claimscope actors find 'Łatuška'", no_args_is_help=True)

KbOpt = Annotated[Optional[list[Path]], typer.Option("--kb", help="Extra knowledge-base YAML file (repeatable).")]


def lint_problems(extra: list[Path] | None) -> list[str]:
    """All problems of the built-in files plus `extra`: bad entries, duplicate ids, duplicate
    aliases within an entry, and keys that two different entries share."""
    problems: list[str] = []
    entries = load_entries(builtin_files() + list(extra or []), problems)
    kb = KnowledgeBase(entries, problems)
    for e in entries:
        seen: set[str] = set()
        for a in e.aliases:
            if a in seen and not e.derived_from:
                problems.append(f"{e.source}: entry {e.id}: duplicate alias {a!r}")
            seen.add(a)
    for key, plist in sorted(kb.patterns.items()):
        for p in plist:
            if p.via not in ("name", "alias") or len(p.entries) < 2 or p.contextual:
                continue  # contextual aliases are shared on purpose: resolved by what is near
            kinds = {kb.entries[i].kind for i in p.entries}
            # the same surname for two people is expected (resolved by context); report the rest
            if kinds == {"person"} and " " not in key:
                continue
            if p.surface in ("Foreign Ministry", "Ministry of Foreign Affairs"):
                continue  # shared on purpose: resolved by the country the text is about
            problems.append(f"colliding key {key!r} ({p.surface!r}): {', '.join(sorted(p.entries))}")
    return problems


@app.command()
def lint(kb: KbOpt = None) -> None:
    """Check the knowledge base: bad codes and fields, duplicates, colliding keys.

    Example: claimscope actors lint --kb my_actors.yaml
    """
    problems = lint_problems(kb)
    for p in problems:
        typer.echo(p)
    if problems:
        typer.echo(f"{len(problems)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo("ok")


@app.command()
def find(name: str, kb: KbOpt = None) -> None:
    """Show which entry a spelling resolves to, the key it folded to, and how it matched:
    as a name or alias, a case form (inflected), a transliteration convention (German, French,
    Polish, Lithuanian, ALA-LC, ISO 9), the key alone (English ad-hoc spellings: y/i, kh/h, ts/c,
    -ov/-au ...), or fuzzy.

    Example: claimscope actors find 'Swetlana Tichanowskaja'
    """
    from . import ActorStage, load_kb
    from .translit import load_conventions

    stage = ActorStage(load_kb(kb))
    patterns, key, step = stage.resolve_name(name)
    typer.echo(f"key: {key}")
    if not patterns:
        typer.echo("no entry")
        raise typer.Exit(1)
    labels = {c.name: c.label for c in load_conventions()}
    for p in patterns:
        for eid in p.entries:
            e = stage.kb.entries[eid]
            typer.echo(f"{eid}\t{e.name}\t{e.kind}\t{e.country or '-'}\t{e.sector or '-'}\t"
                       f"via {match_kind(stage.kb, name, key, eid, step, labels)}")


def match_kind(kb: KnowledgeBase, text: str, key: str, eid: str, step: str,
               labels: dict[str, str]) -> str:
    """How a spelling matched an entry, in words: the knowledge-base name, alias or romanisation
    with the same key that is nearest to the spelling (edit distance), and what it is."""
    if step:
        return step
    from rapidfuzz.distance import Levenshtein

    e = kb.entries[eid]
    forms = [("name" if n == e.name else "alias", n) for n in e.all_names() if name_key(n) == key]
    forms += [(f"convention {labels.get(c, c)}", f) for c, f in kb.conventions.get((key, eid), [])]
    forms += [(f"contextual alias, only near {'/'.join(near)}", a) for a, near in e.contextual
              if name_key(a) == key]
    if not forms:
        return "key"
    low = unicodedata.normalize("NFC", text).lower()
    dist, kind, form = min((Levenshtein.distance(low, unicodedata.normalize("NFC", f).lower()), k, f)
                           for k, f in forms)
    if dist == 0:
        return f"{kind} ({form!r})"
    if kind in ("name", "alias"):
        return f"key: a spelling variant of {kind} {form!r} (English ad-hoc alternations)"
    return f"key: a spelling variant of {kind} {form!r}"
