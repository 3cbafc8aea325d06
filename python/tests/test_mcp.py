"""`mask mcp` driven by a real MCP client: the official Python SDK's stdio
client (PyPI `mcp`) lists the tools and calls each one."""

import asyncio
import json
import os

import pytest

from conftest import require

MAIL = "山田太郎様\nお電話 090-1234-5678 までご連絡ください。\n"


def run(coro):
    return asyncio.run(coro)


async def session_call(mask_bin, args, calls, env=None):
    mcp = require("mcp")
    from mcp.client.stdio import stdio_client

    params = mcp.StdioServerParameters(command=mask_bin, args=["mcp", "-q", "-j", "1", *args], env=env)
    results = []
    async with stdio_client(params) as (read, write):
        async with mcp.ClientSession(read, write) as session:
            await session.initialize()
            for name, arguments in calls:
                if name == "list":
                    results.append(await session.list_tools())
                    continue
                try:
                    results.append(await session.call_tool(name, arguments))
                except Exception as e:  # an MCP error answer
                    results.append(e)
    return results


def payload(result):
    """The JSON answer of a tool call (structured content, else the text)."""
    structured = getattr(result, "structured_content", None) or getattr(
        result, "structuredContent", None
    )
    if structured:
        return structured
    return json.loads(result.content[0].text)


def test_lists_the_three_tools(mask_bin):
    (tools,) = run(session_call(mask_bin, [], [("list", None)]))
    names = sorted(t.name for t in tools.tools)
    assert names == ["mask_text", "restore_text", "scan_text"]
    mask_tool = next(t for t in tools.tools if t.name == "mask_text")
    schema = getattr(mask_tool, "input_schema", None) or mask_tool.inputSchema
    assert "text" in schema["properties"]


def test_mask_and_scan_text(mask_bin):
    masked, scanned = run(
        session_call(
            mask_bin,
            [],
            [("mask_text", {"text": MAIL}), ("scan_text", {"text": MAIL})],
        )
    )
    m = payload(masked)
    assert m["text"] == "Y.T.様\nお電話 ***-****-5678 までご連絡ください。\n"
    assert m["counts"] == {"name": 1, "phone": 1}
    s = payload(scanned)
    assert [(f["category"], f["line"], f["column"]) for f in s["findings"]] == [
        ("name", 1, 1),
        ("phone", 2, 5),
    ]
    assert "090" not in json.dumps(s, ensure_ascii=False)


def test_errors_are_mcp_errors_and_never_hold_the_input(mask_bin):
    blocked, unknown, missing, bad_format, restore = run(
        session_call(
            mask_bin,
            ["--extra-policy", "strict"],
            [
                ("mask_text", {"text": "個人番号 123456789018", "policy": "strict"}),
                ("mask_text", {"text": "x", "policy": "/tmp/lax.toml"}),
                ("mask_text", {"txt": "wrong argument name"}),
                ("mask_text", {"text": "x", "format": "xml"}),
                ("restore_text", {"text": "Y.T.#1"}),
            ],
        )
    )
    for r in (blocked, unknown, missing, bad_format, restore):
        is_error = (
            isinstance(r, Exception)
            or getattr(r, "is_error", False)
            or getattr(r, "isError", False)
        )
        assert is_error, r
        assert "123456789018" not in str(r)
    assert "my-number" in str(blocked)
    assert "unknown policy" in str(unknown)


def test_vault_tokens_round_trip_and_calls_are_audited(mask_bin, tmp_path):
    vault, audit = tmp_path / "v.vault", tmp_path / "audit.jsonl"
    env = dict(os.environ, MASK_VAULT_KEY="11" * 32)
    masked, restored = run(
        session_call(
            mask_bin,
            ["--vault", str(vault), "--audit", str(audit)],
            [("mask_text", {"text": MAIL}), ("restore_text", {"text": "Y.T.#1様へ返信"})],
            env=env,
        )
    )
    assert payload(masked)["text"].startswith("Y.T.#1様")
    assert payload(restored)["text"] == "山田太郎様へ返信"
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [r["input"] for r in records] == ["mcp:mask_text", "mcp:restore_text"]
    assert "山田" not in audit.read_text() and "1234" not in audit.read_text()
