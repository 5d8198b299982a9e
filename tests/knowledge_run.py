"""A small OUT_DIR of ``zhie run`` written by hand, for the knowledge and export tests.

Made-up sentences, not from ../shared.  What it exercises:
- the same person spelled "Sam Altman" / "SamAltman", with mention "Altman" (one node);
- 微软 an alias of 微软公司 in doc a and a canonical on its own in doc b (merged);
- 阿里 an alias of both 阿里巴巴集团 and 阿里云 (ambiguous: stays a node of its own);
- 王 an alias of 亚历山大·王 and a canonical elsewhere (too short to merge);
- a repeated triple (dismissed_from in a and b), and invested_in only equal after merging 微软;
- one amount written 100亿美元 and 一百亿美元 (one MONEY node);
- Scale AI typed ORG in a triple but COMPANY as an entity (takes the COMPANY node);
- a failed document, a line that is not JSON, a sentence with a quote, backslash and newline.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


TEN_BILLION_USD = {"amount": 1e10, "currency": "USD"}

DOCUMENTS = [
    {"doc_id": "a", "source": "dump.jsonl", "status": "ok", "title": "董事会", "text": "全文 A",
     "chars": 4, "publish_time": "2023-11-18 10:00:00", "account": "科技号"},
    {"doc_id": "b", "source": "dump.jsonl", "status": "ok", "title": "回归", "text": "全文 B",
     "chars": 4, "publish_time": 1700400000},
    {"doc_id": "c", "source": "dump.jsonl", "status": "ok", "title": "阿里", "text": "全文 C",
     "chars": 4, "publish_time": "2023年11月20日"},
    {"doc_id": "d", "source": "dump.jsonl", "status": "error", "title": None, "text": "",
     "chars": 0, "error": "no text"},
]


def _entity(doc: str, text: str, label: str, canonical: str, **extra: Any) -> dict[str, Any]:
    return {"doc_id": doc, "start": 0, "end": len(text), "text": text, "label": label,
            "canonical": canonical, **extra}


ENTITIES = [
    _entity("a", "Sam Altman", "PERSON", "Sam Altman"),
    _entity("a", "Altman", "PERSON", "Sam Altman"),
    _entity("a", "OpenAI", "COMPANY", "OpenAI"),
    _entity("a", "微软公司", "COMPANY", "微软公司"),
    _entity("a", "微软", "COMPANY", "微软公司"),
    _entity("a", "100亿美元", "MONEY", "100亿美元", value=TEN_BILLION_USD),
    _entity("a", "王", "PERSON", "王"),
    _entity("b", "SamAltman", "PERSON", "SamAltman"),
    _entity("b", "OpenAI", "COMPANY", "OpenAI"),
    _entity("b", "微软", "COMPANY", "微软"),
    _entity("b", "阿里", "COMPANY", "阿里"),
    _entity("b", "一百亿美元", "MONEY", "一百亿美元", value=TEN_BILLION_USD),
    _entity("c", "阿里巴巴集团", "COMPANY", "阿里巴巴集团"),
    _entity("c", "阿里", "COMPANY", "阿里巴巴集团"),
    _entity("c", "阿里云", "COMPANY", "阿里云"),
    _entity("c", "阿里", "COMPANY", "阿里云"),
    _entity("c", "亚历山大·王", "PERSON", "亚历山大·王"),
    _entity("c", "王", "PERSON", "亚历山大·王"),
    _entity("c", "Scale AI", "COMPANY", "Scale AI"),
]


def _triple(doc: str, subject: tuple[str, str], relation: str, obj: tuple[str, str], confidence: float,
            sentence: str, **extra: Any) -> dict[str, Any]:
    return {"doc_id": doc, "subject": subject[0], "subject_type": subject[1], "relation": relation,
            "object": obj[0], "object_type": obj[1], "qualifiers": extra.pop("qualifiers", {}),
            "confidence": confidence, "evidence": {"start": 0, "end": len(sentence), "text": sentence},
            **extra}


TRIPLES = [
    _triple("a", ("Sam Altman", "PERSON"), "dismissed_from", ("OpenAI", "COMPANY"), 0.8,
            "OpenAI董事会解雇了Sam Altman。"),
    _triple("a", ("微软公司", "COMPANY"), "invested_in", ("OpenAI", "COMPANY"), 0.7, "微软公司投资了OpenAI。"),
    _triple("a", ("OpenAI", "COMPANY"), "raised", ("100亿美元", "MONEY"), 0.9, "OpenAI融资100亿美元。",
            object_value=TEN_BILLION_USD, qualifiers={"round": "C"}),
    _triple("b", ("SamAltman", "PERSON"), "dismissed_from", ("OpenAI", "COMPANY"), 0.6,
            "SamAltman上周被OpenAI解雇。"),
    _triple("b", ("微软", "COMPANY"), "invested_in", ("OpenAI", "COMPANY"), 0.5, "微软曾投资OpenAI。"),
    _triple("b", ("OpenAI", "COMPANY"), "raised", ("一百亿美元", "MONEY"), 0.5, "OpenAI获得一百亿美元。",
            object_value=TEN_BILLION_USD, qualifiers={"round": "D"}),
    _triple("c", ("亚历山大·王", "PERSON"), "holds_position", ("Scale AI", "ORG"), 0.9,
            'Scale AI首席执行官亚历山大·王表示：\n"数据\\标注"。', qualifiers={"title": ["首席执行官"], "status": "current"}),
]


def write_run(out_dir: Path) -> Path:
    """Write the run's three JSONL files (plus one broken line) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in (("documents", DOCUMENTS), ("entities", ENTITIES), ("triples", TRIPLES)):
        lines = [json.dumps(record, ensure_ascii=False) for record in records]
        if name == "entities":
            lines.insert(3, '{"doc_id": "a", "text": "cut short')
        (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out_dir

