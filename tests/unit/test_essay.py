"""The essay's one record (scripts/edition/essay.py) and its ties to mkdocs.yml and CHANGELOG.md."""
from pathlib import Path

import yaml

from edition.essay import essay_record, released_versions

ROOT = Path(__file__).resolve().parents[2]


def _extra() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV, !!python/name
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["extra"]


def test_the_version_is_the_changelogs_latest_release():
    e = essay_record(_extra())
    versions = released_versions((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert versions, "CHANGELOG.md names no released version"
    assert e.version == versions[0], "bump extra.edition.version in mkdocs.yml with each release in CHANGELOG.md"
    line = next(row for row in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
                if row.startswith(f"## [{versions[0]}]"))
    assert e.edition_date in line, "extra.edition.date is the release's date in CHANGELOG.md"


def test_the_record():
    e = essay_record({"edition": {"version": "1.2.3", "date": "2027-01-02"}})
    assert (e.title, e.author.name, e.author.inverted, e.year) == (
        "Techno-Utopianism, Counterfeit and Real", "Kevin Carson", "Carson, Kevin", "2016")
    assert (e.publisher, e.series, e.number, e.version, e.edition_date) == (
        "Center for a Stateless Society", "C4SS Paper", "20", "1.2.3", "2027-01-02")
    assert e.full_title.startswith(e.title + " (With Special Regard")
    assert e.short_title("III.12") == "Carson, Techno-Utopianism, Counterfeit and Real, ¶ III.12"
    assert "Carson" not in e.editors


def test_released_versions_skips_unreleased():
    assert released_versions("## [Unreleased]\n## [1.1.0] — x\n## [1.0.0] — y\n") == ["1.1.0", "1.0.0"]
