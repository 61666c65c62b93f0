"""Names: what a name or `self.attr` is bound to where it is read, by Python's scoping rules (LEGB, classes skipped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from ._bindings import END, MAX_DEPTH, Assigned, Binding, Branch, DefinedClass, Parameter, Scope

if TYPE_CHECKING:
    from ._model import ModuleModel



class NameResolver:
    """Looks names up in the scopes the walk recorded."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self._code: dict[int, str] = {}
        #: `reaching`'s answers by (name, id of scope, seq): the walk's records don't change once read.
        self._reaching_memo: dict[tuple[str, int, int], list[Binding]] = {}

    def code(self, node: cst.CSTNode) -> str:
        key = id(node)
        if key not in self._code:
            self._code[key] = self.model.reader.module.code_for_node(node).strip()
        return self._code[key]

    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        """The binding of `name` as seen from `scope` at sequence `seq` (Python's LEGB, classes skipped): the
        nearest one that can reach that point (a sibling branch's assignment can't)."""
        reaching = self.reaching(name, scope, seq)
        return reaching[0] if reaching else None

    def reaching(self, name: str, scope: Scope, seq: int) -> list[Binding]:
        """Every binding of `name` that may be the one in force at `seq` in `scope`, nearest first.

        One binding when the code is straight-line; several when assignments in branches that may or may
        not have run precede the use (`if a: x = 1` then `else: x = 2`). A binding in a branch that excludes
        the use (a sibling `elif` arm) is never among them. Enclosing scopes are read as they stand at
        their end, since a function runs after its module has. The list is shared: callers must not change it.
        """
        key = (name, id(scope), seq)
        found = self._reaching_memo.get(key)
        if found is None:
            found = self._reaching_memo[key] = self._reaching_from(name, scope, seq)
        return found

    def _reaching_from(self, name: str, scope: Scope, seq: int) -> list[Binding]:
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            bindings = current.names.get(name)
            if bindings:
                use = seq if first else END
                found = self._reaching(bindings, use)
                if found:
                    return found
                if first:
                    # read before any assignment in this scope (a function defined above a global it uses)
                    return [bindings[-1][1]]
            first = False
            current = current.parent
        return []

    def _reaching(self, bindings: list[tuple[int, Binding]], seq: int) -> list[Binding]:
        branch_of = self.model.reader.branch_of
        use: Branch = branch_of.get(seq, ()) if seq != END else ()
        found: list[Binding] = []
        for position, binding in reversed(bindings):
            if position > seq:
                continue
            relation = _relation(branch_of.get(position, ()), use)
            if relation == "exclusive":
                continue
            found.append(binding)
            if relation == "dominates":
                break
        return found

    def attribute_binding(self, owner: Scope, attr: str, depth: int = 0) -> Binding | None:
        found = owner.attributes.get(attr)
        if found:
            # prefer a binding we can follow; `self.client = None` placeholders come first in __init__
            for _, binding in reversed(found):
                if isinstance(binding, Assigned) and not (isinstance(binding.value, cst.Name) and binding.value.value == "None"):
                    return binding
                if isinstance(binding, Parameter):
                    return binding
            return found[-1][1]
        class_level = owner.names.get(attr)
        if class_level:
            return class_level[-1][1]
        # inherited from a base class defined in the same module (`self.client` set in `BaseAgent.__init__`)
        for base in self.base_classes(owner):
            inherited = self.attribute_binding(base, attr, depth + 1) if depth < MAX_DEPTH else None
            if inherited is not None:
                return inherited
        return None

    def base_classes(self, owner: Scope) -> Iterator[Scope]:
        node = owner.node
        if not isinstance(node, cst.ClassDef) or owner.parent is None:
            return
        for base in node.bases:
            if isinstance(base.value, cst.Name):
                binding = self.lookup(base.value.value, owner.parent, END)
                if isinstance(binding, DefinedClass) and binding.scope is not owner:
                    yield binding.scope

    def self_owner(self, name: str, scope: Scope, seq: int) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.kind == "function":
            if current.self_name == name and current.owner is not None:
                if self.lookup(name, scope, seq) is not None:
                    return current.owner
            current = current.parent
        # `cls.client` in a classmethod and `ClassName.client` also read class attributes
        binding = self.lookup(name, scope, seq)
        if isinstance(binding, DefinedClass):
            return binding.scope
        return None


def _relation(binding: Branch, use: Branch) -> str:
    """How a binding's branch relates to a use's: it `dominates` (runs on every path to the use), is `exclusive`
    (a sibling branch of the same statement), or `may` have run (a branch the use comes after)."""
    if use[:len(binding)] == binding:
        return "dominates"
    for mine, theirs in zip(binding, use):
        if mine != theirs:
            return "exclusive" if mine[0] == theirs[0] else "may"
    return "may"
