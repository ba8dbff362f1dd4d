"""The hotline commands through the real ``jxai`` entry point."""

import json


def test_clause_by_spoken_reference_prints_policy_seven_with_its_lead_unit(jxai):
    result = jxai("clause", "支持政策第七条", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["clause_id"] == "三.7"
    assert payload["lead_unit"] == "市经信局"
    assert set(payload) == {"clause_id", "title", "path", "text", "units", "units_as_written", "lead_unit",
                            "citation"}
    assert payload["text"].startswith("7.支持算力应用。")
    assert payload["citation"].endswith("〔三.7〕牵头单位：“市经信局”")


def test_clause_by_part_and_number_prints_task_ten(jxai):
    result = jxai("clause", "第二部分第十条")
    assert result.returncode == 0
    assert result.stdout.startswith("〔二.10〕二、重点任务 › 10. 丰富算力供给")
    assert "牵头单位：“市发展改革委”；" in result.stdout


def test_clause_by_well_known_name_prints_the_clause_and_a_one_line_ticket_citation(jxai):
    result = jxai("clause", "算力券")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("〔三.7〕三、支持政策 › 7. 支持算力应用")
    ticket = [line for line in result.stdout.splitlines() if line.startswith("工单引用：")]
    assert len(ticket) == 1 and ticket[0].endswith("〔三.7〕牵头单位：“市经信局”")


def test_clause_units_are_shown_as_written_with_the_canonical_name_beside(jxai):
    result = jxai("clause", "信息服务业投资补助")
    assert result.returncode == 0, result.stderr
    assert "牵头单位：“市发改委”（市发展改革委）；责任单位：“市发改委”（市发展改革委）、“市财政局”" in result.stdout
    assert "工单引用：《嘉兴市推动人工智能高质量发展实施方案（征求意见稿）》三、支持政策 2. 鼓励信息服务业投资：" in result.stdout


def test_clause_by_title_of_a_task(jxai):
    result = jxai("clause", "强化人才支撑", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["clause_id"] == "二.14"


def test_unknown_clause_exits_2_with_the_valid_range(jxai):
    result = jxai("clause", "三.11")
    assert result.returncode == 2
    assert "支持政策共10条" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = jxai("clause", "不存在的补贴")
    assert unknown.returncode == 2 and "全文共32条" in unknown.stderr


def test_clauses_lists_all_32_one_per_line(jxai):
    result = jxai("clauses")
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) == 32
    assert len(json.loads(jxai("clauses", "--json").stdout)) == 32


def test_units_of_the_data_bureau_lists_what_it_leads(jxai):
    result = jxai("units", "市数据局")
    assert result.returncode == 0
    assert "〔二.8〕" in result.stdout and "〔二.13〕" in result.stdout
    payload = json.loads(jxai("units", "数据局", "--json").stdout)
    assert payload["leads"] == ["二.8", "二.13"]


def test_units_without_a_name_lists_every_unit_with_counts(jxai):
    result = jxai("units")
    assert result.returncode == 0
    assert "市经信局" in result.stdout and "各电信运营商" in result.stdout


def test_an_unknown_unit_is_a_clear_message(jxai):
    result = jxai("units", "市气象局")
    assert result.returncode == 2 and "没有“市气象局”" in result.stderr
