"""Each way a methodology file can be wrong is refused with the field named."""

import copy
import shutil

import pytest
import yaml

from scoring import MethodologyError, load_methodology, parse_methodology, parse_methodology_text
from scoring.methodology import METHODOLOGY_DIR

RAW = yaml.safe_load((METHODOLOGY_DIR / "2013-osce.yaml").read_text(encoding="utf-8"))


def broken(mutate):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


def _set(path, value):
    def mutate(raw):
        obj = raw
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value
    return mutate


def _del(path):
    def mutate(raw):
        obj = raw
        for key in path[:-1]:
            obj = obj[key]
        del obj[path[-1]]
    return mutate


CASES = [
    ("unknown home level", _set(["indicators", 3, "home"], 7), "indicators[3].home"),
    ("unknown level in cols", _set(["indicators", 2, "cols"], [1, 9]), "indicators[2].cols"),
    ("indicator in no column", _set(["indicators", 5, "cols"], []), "indicators[5].cols"),
    ("home not among cols", _set(["indicators", 5, "cols"], [3, 4]), "indicators[5].cols"),
    ("duplicate indicator", _set(["indicators", 4, "number"], 4), "indicators[4].number"),
    ("mandatory not bool", _set(["indicators", 0, "mandatory"], "yes"), "indicators[0].mandatory"),
    ("missing English wording", _del(["indicators", 1, "text", "en"]), "indicators[1].text.en"),
    ("band gap at zero", _set(["corruption_bands", 0, "min"], 1), "corruption_bands[0].min"),
    ("bands overlap", _set(["corruption_bands", 2, "min"], 3), "corruption_bands[2].min"),
    ("band above max", _set(["corruption_bands", 2, "min"], 12), "corruption_bands[2].min"),
    ("duplicate band id", _set(["corruption_bands", 1, "id"], "poor"), "corruption_bands[1].id"),
    ("min_share out of range", _set(["min_share"], 1.5), "min_share"),
    ("missing min_share", _del(["min_share"]), "min_share"),
    ("duplicate question", _set(["infrastructure", "components", 1, "questions", 0, "id"], "1.1"),
     "infrastructure.components[1].questions[0].id"),
    ("unknown question type", _set(["infrastructure", "components", 0, "questions", 0, "type"], "scale"),
     "infrastructure.components[0].questions[0].type"),
    ("duplicate component", _set(["infrastructure", "components", 1, "id"], "authentic_sources"),
     "infrastructure.components[1].id"),
    ("empty component", _set(["infrastructure", "components", 2, "questions"], []),
     "infrastructure.components[2].questions"),
    ("yellow above green", _set(["traffic_lights", "coverage", "yellow"], 90), "traffic_lights.coverage.yellow"),
    ("missing light", _del(["traffic_lights", "corruption"]), "traffic_lights.corruption"),
    ("unknown stage level", _set(["levels", 0, "level"], 8), "levels[0].level"),
    ("missing stage", lambda raw: raw["levels"].pop(), "levels"),
    ("bad id", _set(["id"], "two words"), "id"),
    ("bad date", _set(["released"], "soon"), "released"),
]


@pytest.mark.parametrize("name,mutate,field", CASES, ids=[c[0] for c in CASES])
def test_inconsistent_file_is_refused_naming_the_field(name, mutate, field):
    with pytest.raises(MethodologyError) as exc:
        parse_methodology(broken(mutate))
    assert exc.value.field == field
    assert field in str(exc.value)
    assert exc.value.message("az").startswith(field)


def test_column_without_indicator():
    def mutate(raw):
        for ind in raw["indicators"]:
            ind["cols"] = [c for c in ind["cols"] if c != 5] or [ind["home"]]
        for ind in raw["indicators"]:
            if ind["home"] == 5:
                ind["home"] = 4
                ind["cols"] = [4]
    with pytest.raises(MethodologyError, match="level column 5 has no indicator"):
        parse_methodology(broken(mutate))


def test_not_yaml():
    with pytest.raises(MethodologyError) as exc:
        parse_methodology_text("id: [unclosed")
    assert exc.value.field == "(file)"


def test_unknown_version():
    with pytest.raises(MethodologyError, match="unknown methodology version"):
        load_methodology("1999-none")


def test_second_version_added_without_code(tmp_path):
    shutil.copy(METHODOLOGY_DIR / "2013-osce.yaml", tmp_path / "2013-osce.yaml")
    raw = copy.deepcopy(RAW)
    raw["id"] = "2027-test"
    raw["released"] = "2027-01-01"
    raw["min_share"] = 1.0
    (tmp_path / "2027-test.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    newest = load_methodology(directory=tmp_path)
    assert newest.id == "2027-test"
    old = load_methodology("2013-osce", directory=tmp_path)
    e_decl = [1] * 9 + [0] * 8
    from scoring import maturity
    assert maturity(e_decl, old).level == 3
    assert maturity(e_decl, newest).level == 2  # stricter rule: column 3 needs every cell


def test_duplicate_version_in_directory(tmp_path):
    shutil.copy(METHODOLOGY_DIR / "2013-osce.yaml", tmp_path / "a.yaml")
    shutil.copy(METHODOLOGY_DIR / "2013-osce.yaml", tmp_path / "b.yaml")
    with pytest.raises(MethodologyError, match="defined twice"):
        load_methodology(directory=tmp_path)
