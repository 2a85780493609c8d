"""What an expression may ask about the survey. The engine subclasses ``Context``; ``DictContext``
serves tests and simple callers from a plain dict of answers."""

from datetime import date, datetime


class Context:
    """Defaults for every question the evaluator may ask; override what the caller knows.

    Values are XPath values: str ('' when empty; select_multiple space-joined), float, bool, or a list
    (a node-set: a question inside a repeat seen from outside it).
    """

    def resolve(self, name):
        """The value of ``${name}``, relative to the current repeat instance."""
        return ""

    def current(self):
        """The value of '.', the question whose expression is evaluated."""
        return ""

    def position(self):
        """1-based index of the current repeat instance, for position(..)."""
        return 1

    def repeat_count(self, name):
        """count(${name}): instances of a repeat (or nodes of a question inside one)."""
        v = self.resolve(name)
        return len(v) if type(v) is list else 1

    def repeat_values(self, name):
        """sum/min/max/join(${name}): the values of the question in every instance of its repeat."""
        v = self.resolve(name)
        return list(v) if type(v) is list else [v]

    def indexed_repeat(self, name, pairs):
        """indexed-repeat(${name}, ${repeat}, i[, ${inner}, j ...]); ``pairs`` is ((repeat, i), ...),
        outermost first, 1-based. The default handles one level through ``repeat_values``."""
        if len(pairs) != 1:
            return ""
        index = pairs[0][1]
        values = self.repeat_values(name)
        return values[index - 1] if 1 <= index <= len(values) else ""

    def choice_label(self, question_name, value):
        """jr:choice-name(value, '${question_name}'): the label of that choice, '' if unknown."""
        return ""

    def choice_column(self, name):
        """A bare name in a choice_filter (``commune = ${c}``): that column of the choice being tested."""
        return ""

    def now(self):
        """An aware datetime (Vietnam's time unless the caller's meta says otherwise)."""
        from forms import clock

        return clock.now()

    def today(self):
        return self.now().date()

    def once_value(self):
        """The value already stored in the field, for once(): '' when none."""
        return ""

    def instance_items(self, name):
        """The items of instance('name'): a choice list or a media file's rows ([] when unknown)."""
        return []

    def item_value(self, item, column):
        """One column of an item of instance_items() as a string ('' when it has none)."""
        if column == "name":
            return getattr(item, "name", "")
        if column == "label":
            label = getattr(item, "label", {}) or {}
            return next(iter(label.values()), "") if isinstance(label, dict) else str(label)
        return (getattr(item, "props", {}) or {}).get(column, "")


class ItemContext(Context):
    """Inside instance('x')/root/item[...]: bare names are the item's columns; all else is the survey's."""

    def __init__(self, outer, item):
        self.outer, self.item = outer, item

    def resolve(self, name):
        return self.outer.resolve(name)

    def current(self):
        return self.outer.current()

    def position(self):
        return self.outer.position()

    def repeat_count(self, name):
        return self.outer.repeat_count(name)

    def repeat_values(self, name):
        return self.outer.repeat_values(name)

    def indexed_repeat(self, name, pairs):
        return self.outer.indexed_repeat(name, pairs)

    def choice_label(self, question_name, value):
        return self.outer.choice_label(question_name, value)

    def choice_column(self, name):
        return self.outer.item_value(self.item, name)

    def now(self):
        return self.outer.now()

    def today(self):
        return self.outer.today()

    def once_value(self):
        return self.outer.once_value()

    def instance_items(self, name):
        return self.outer.instance_items(name)

    def item_value(self, item, column):
        return self.outer.item_value(item, column)


def _plain(v):
    """dict values -> XPath values (ints stay numbers, None is '', dates become ISO strings)."""
    if v is None:
        return ""
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return v


def _is_repeat(v):
    return type(v) is list and v and all(isinstance(x, dict) for x in v)


class DictContext(Context):
    """A context over ``values``: name -> value, a repeat being a list of dicts (one per instance).

    ``repeat``/``index`` select the current instance (1-based) so that ``${q}`` of that repeat reads
    that instance and position(..) is ``index``. A list of plain values is a node-set.
    """

    def __init__(self, values=None, *, current="", repeat=None, index=None, labels=None, columns=None,
                 now=None, today=None, once="", instances=None):
        self.values = dict(values or {})
        self._current = current
        self.repeat = repeat
        self.index = index
        self.labels = labels or {}
        self.columns = columns or {}
        self._now = now
        self._today = today
        self._once = once
        self.instances = instances or {}  # name -> list of items (objects with name, label, props)

    def instance_items(self, name):
        return self.instances.get(name, [])

    def _instance(self):
        if self.repeat is None or self.index is None:
            return None
        instances = self.values.get(self.repeat) or []
        return instances[self.index - 1] if 1 <= self.index <= len(instances) else None

    def resolve(self, name):
        instance = self._instance()
        if instance is not None and name in instance:
            return _plain(instance[name])
        return self._everywhere(name)

    def repeat_values(self, name):
        """Every instance's value, also from inside the repeat (indexed-repeat, sum ...)."""
        v = self._everywhere(name)
        return v if type(v) is list else [v]

    def _everywhere(self, name):
        if name in self.values:
            v = self.values[name]
            if _is_repeat(v):
                return ["" for _ in v]
            if type(v) is list:
                return [_plain(x) for x in v]
            return _plain(v)
        for v in self.values.values():
            if _is_repeat(v) and any(name in inst for inst in v):
                return [_plain(inst.get(name)) for inst in v]
        return ""

    def current(self):
        return _plain(self._current)

    def position(self):
        return self.index if self.index is not None else 1

    def choice_label(self, question_name, value):
        return self.labels.get(question_name, {}).get(value, "")

    def choice_column(self, name):
        return _plain(self.columns.get(name, ""))

    def now(self):
        return self._now if self._now is not None else super().now()

    def today(self):
        if self._today is not None:
            return self._today
        return self.now().date()

    def once_value(self):
        return self._once
