"""Label normalisation: the key of the shared concepts."""

from __future__ import annotations

import pytest

from kg.labels import concept_key, normalise


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("讀寫技能：", "讀寫技能"),
        ("資料保護及資訊安全相關規 範", "資料保護及資訊安全相關規範"),
        ("自然語言處理 (NLP) 基礎知 識", "自然語言處理(NLP)基礎知識"),
        ("親和關係：對他人表現理解", "親和關係"),
        ("ISO 9001:2015 品質管理", "ISO 9001:2015品質管理"),
        ("Large  Language\tModel", "Large Language Model"),
        ("溝通協調能力。", "溝通協調能力"),
        ("ＡＩ治理", "AI治理"),
    ],
)
def test_normalise(label: str, expected: str) -> None:
    assert normalise(label) == expected


def test_concept_key_is_stable_and_folds_variants() -> None:
    assert concept_key("溝通協調能力") == concept_key(" 溝通協調能力：")
    assert concept_key("溝通協調能力") != concept_key("溝通能力")
    assert len(concept_key("x")) == 12
