"""Lifecycles as data: a model's allowed moves in one table that services apply, in the manner of les-emplois'
workflows. A `Workflow` lists its `Transition`s — a name, the states it leaves from, the state it leads to —
and says why a move is refused in a given state, in the words a person reads."""

import dataclasses

from django.core.exceptions import ValidationError


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the move changes no state (an action allowed only in some states)
    refusal: str  # why the move is refused, whatever the state …
    refusals: dict[str, str] = dataclasses.field(default_factory=dict)  # … unless this state has its own reason

    def refusal_in(self, state: str) -> str:
        return str(self.refusals.get(state, self.refusal))


class Workflow:
    def __init__(self, *transitions: Transition):
        self.transitions = {transition.name: transition for transition in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def can(self, name: str, state: str) -> bool:
        return state in self.transitions[name].sources

    def available(self, state: str) -> list[str]:
        """The moves allowed from `state`, in the order of the table."""
        return [name for name, transition in self.transitions.items() if state in transition.sources]

    def check(self, name: str, state: str) -> str | None:
        """The state `name` leads to from `state`, or ValidationError with the reason it is refused there."""
        transition = self.transitions[name]
        if state not in transition.sources:
            raise ValidationError(transition.refusal_in(state))
        return transition.target
