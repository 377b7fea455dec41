"""Search and filters, in SQL, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from catalog.queries import Filters, apply_filters, normalise, published, query_terms
from catalog.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def slugs(**filters: object) -> set[str]:
    return set(apply_filters(published(), Filters(**filters)).values_list("slug", flat=True))  # type: ignore[arg-type]


def test_normalise_lowercases_and_drops_spaces_and_punctuation() -> None:
    assert normalise("  Poly Tech · 창업(창직) ") == "polytech창업창직"
    assert normalise("ＡＢＣ") == "abc"  # full-width letters


def test_query_terms_split_on_spaces() -> None:
    assert query_terms("  기술  창업 ") == ["기술", "창업"]
    assert query_terms("   ") == []


def test_partial_korean_word_matches_inside_a_compound() -> None:
    ServiceFactory.create(slug="tech-startup", name_ko="중장년 기술창업센터")
    ServiceFactory.create(slug="other", name_ko="고령자인재은행")
    assert slugs(q="창업") == {"tech-startup"}


def test_prefix_of_a_name_matches() -> None:
    ServiceFactory.create(slug="polytech", name_ko="폴리텍 신중년 특화과정")
    assert slugs(q="폴리") == {"polytech"}


def test_spacing_differences_do_not_matter() -> None:
    ServiceFactory.create(slug="tech-startup", name_ko="중장년 기술창업센터")
    assert slugs(q="기술 창업") == {"tech-startup"}
    assert slugs(q="중장년기술") == {"tech-startup"}


def test_search_covers_english_name_operator_and_summary_case_insensitively() -> None:
    ServiceFactory.create(slug="a", name_en="Senior Startup Centre")
    ServiceFactory.create(slug="b", operator_ko="한국폴리텍대학")
    ServiceFactory.create(slug="c", summary_ko="귀농 교육을 합니다.")
    assert slugs(q="STARTUP") == {"a"}
    assert slugs(q="폴리텍") == {"b"}
    assert slugs(q="귀농") == {"c"}


def test_all_terms_must_match() -> None:
    ServiceFactory.create(slug="a", name_ko="폴리텍 창업 과정")
    ServiceFactory.create(slug="b", name_ko="폴리텍 기계 과정")
    assert slugs(q="폴리텍 창업") == {"a"}


def test_like_wildcards_in_the_query_are_literal() -> None:
    ServiceFactory.create(slug="a", name_ko="아무 서비스")
    assert slugs(q="%") == set()
    assert slugs(q="아무%스") == set()  # would match "아무서비스" if % were a wildcard


def test_goal_filter() -> None:
    ServiceFactory.create(slug="a", goals=["startup", "social"])
    ServiceFactory.create(slug="b", goals=["reemployment"])
    assert slugs(goal="social") == {"a"}
    assert slugs(goal="reemployment") == {"b"}


def test_stage_filter() -> None:
    ServiceFactory.create(slug="a", stages=["know", "approach"])
    ServiceFactory.create(slug="b", stages=["act"])
    assert slugs(stage="approach") == {"a"}


def test_age_filter_respects_open_ended_ranges() -> None:
    ServiceFactory.create(slug="any")
    ServiceFactory.create(slug="fifty-plus", age_min=50)
    ServiceFactory.create(slug="to-64", age_max=64)
    ServiceFactory.create(slug="fifties", age_min=50, age_max=59)
    assert slugs(age=45) == {"any", "to-64"}
    assert slugs(age=50) == {"any", "fifty-plus", "to-64", "fifties"}
    assert slugs(age=70) == {"any", "fifty-plus"}


def test_region_filter_includes_nationwide_services() -> None:
    ServiceFactory.create(slug="nationwide", regions=[])
    ServiceFactory.create(slug="seoul", regions=["11"])
    ServiceFactory.create(slug="busan-gyeonggi", regions=["26", "41"])
    assert slugs(region="11") == {"nationwide", "seoul"}
    assert slugs(region="41") == {"nationwide", "busan-gyeonggi"}
    # "1" must not match inside "11" or "41"
    assert slugs(region="1") == {"nationwide"}


def test_delivery_both_matches_either() -> None:
    ServiceFactory.create(slug="on", delivery="online")
    ServiceFactory.create(slug="off", delivery="offline")
    ServiceFactory.create(slug="both", delivery="both")
    assert slugs(delivery="online") == {"on", "both"}
    assert slugs(delivery="offline") == {"off", "both"}


def test_filters_combine() -> None:
    ServiceFactory.create(slug="hit", name_ko="서울 창업 지원", goals=["startup"], regions=["11"], delivery="both", age_min=40)
    ServiceFactory.create(slug="wrong-region", name_ko="부산 창업 지원", goals=["startup"], regions=["26"])
    assert slugs(q="창업", goal="startup", region="11", delivery="online", age=52) == {"hit"}


def test_unpublished_services_are_not_listed() -> None:
    ServiceFactory.create(slug="hidden", is_active=False)
    assert slugs() == set()


def test_owner_filter_groups_kinds_as_the_report_counts_them() -> None:
    ServiceFactory.create(slug="centre", kind="own")
    ServiceFactory.create(slug="polytech", kind="ministry")
    ServiceFactory.create(slug="seoul-50plus", kind="agency")
    ServiceFactory.create(slug="jobkorea", kind="private")
    assert slugs(owner="own") == {"centre"}
    assert slugs(owner="ministry") == {"polytech"}
    assert slugs(owner="other") == {"seoul-50plus", "jobkorea"}
