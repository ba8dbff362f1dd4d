"""Rules-as-code subsidy calculator for 三、支持政策 (money figures come only from here).

``calculate`` evaluates one policy, ``calculate_all`` all ten, ``combine`` applies 就高不重复, ``conditional`` gives an undecided item's figure if its conditions hold, ``match_profile``
lists what a profile may qualify for (``match_summary``: with the total after 就高不重复), ``policy_facts`` names the facts a policy reads. Numbers live in
``corpus/rules/*.yaml`` (see :mod:`.rules`).
"""

from .engine import (PolicyNotFound, alternatives, calculate, calculate_all, combine, conditional, match_profile, match_summary,
                     policy_facts)
from .facts import EnterpriseFacts, FactsError, facts_from_json, facts_from_mapping, parse_fact_value
from .model import Calculation, Combined, Match, Missing, Step
from .rules import POLICY_IDS, RuleFileError, load_rules
from .staleness import stale_notices

__all__ = [
    "POLICY_IDS",
    "Calculation",
    "Combined",
    "EnterpriseFacts",
    "FactsError",
    "Match",
    "Missing",
    "PolicyNotFound",
    "RuleFileError",
    "Step",
    "alternatives",
    "calculate",
    "calculate_all",
    "combine",
    "conditional",
    "facts_from_json",
    "facts_from_mapping",
    "load_rules",
    "match_profile",
    "match_summary",
    "parse_fact_value",
    "policy_facts",
    "stale_notices",
]
