"""Problem-line forging and accuracy: file names and values that would print a line of
their own (a newline, a colon, a carriage return, a terminal escape), and problems whose
line a reader would look for in the wrong place (line separators YAML counts and editors do
not, a needle found first where it is harmless).

Every problem line must name a file that exists, at a line that exists, with nothing a
terminal would act on.
"""

from __future__ import annotations

from attack_content import explainer, q
from attack_harness import Case

CLS = "forging"
CASES: list[Case] = []
HYPERLINK = "\x1b]8;;https://evil.example/\x07en"  # a terminal hyperlink around "en"
BROKEN = explainer(payload="Cites [@nope].")  # one located error: an unknown key


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"forging-{id}", cls=CLS, **kwargs))


for name, file_name in (
    ("newline", "x\nforged.md:99: error: all is well\n.md"),
    ("carriage-return", "x\rforged.md:1: error: forged\r.md"),
    ("colons", "a:99: error: forged.md"),
    ("escape-sequence", "x\x1b[2K\x1b[1Aforged.md"),
    ("backspace", "real\x08\x08\x08\x08fake.md"),
    ("tab", "a\t99: error: x.md"),
):
    add(
        f"file-name-{name}",
        files={file_name: BROKEN},
        culprit=None,
        expect="error",
        note=f"a file name with {name} that prints a problem line of its own",
    )
add(
    "library-file-name-newline",
    files={"sources/x\nforged.yml:1: error: forged\n.yml": "bad: [\n", "ok.md": explainer()},
    culprit=None,
    expect="error",
    note="a sources library file name with a newline",
)
for name, value in (
    ("escape", "\x1b[1A\x1b[2Kconfirmed"),
    ("backspace", "confirmed\x08\x08\x08\x08\x08\x08\x08\x08\x08false"),
    ("osc-title", "\x1b]0;pwned\x07"),
    ("bell", "confirmed\x07"),
):
    add(
        f"message-{name}",
        files={
            "evil.md": explainer().replace("    status: confirmed", f"    status: {q(value)}"),
        },
        line="    status:",
        expect="error",
        note=f"a status whose echo in the problem message carries {name}",
    )
add(
    "message-language-escape",
    files={
        "evil.md": explainer().replace(
            "    publisher: Alpha News",
            f"    publisher: Alpha News\n    language: {q(HYPERLINK)}",
        )
    },
    line="    language:",
    expect="error",
    note="a terminal hyperlink escape in a value the message repeats",
)

# --- line accuracy ------------------------------------------------------------------------------
for name, separator in (
    ("line-separator", "\u2028"),
    ("next-line", "\u0085"),
    ("paragraph-separator", "\u2029"),
):
    add(
        f"yaml-{name}",
        files={
            "evil.md": explainer(front=f"# a comment with a {name}{separator}in it\nmodified: not-a-date")
        },
        # YAML ends the comment at the separator and reads "in it" as a key with no colon:
        # the error stands on the comment's line, as an editor counts lines.
        line="# a comment",
        expect="error",
        note=f"a YAML comment holding {name}: YAML counts a line break there, editors do not",
    )
add(
    "needle-in-code-first",
    files={
        "evil.md": explainer(
            payload="Write `[x](javascript:alert(1))` to make a link.\n\nHere: [x](javascript:alert(1))"
        )
    },
    line="Here:",
    expect="error",
    note="an unsafe link whose text appears first, harmlessly, in code",
)
add(
    "needle-in-prose-first",
    files={"evil.md": explainer(payload='The onclick attribute is banned.\n\n<p onclick="alert(1)">x</p>')},
    line="<p onclick",
    expect="error",
    note="an event handler whose name appears first in prose",
)
add(
    "unknown-key-in-code-first",
    files={"evil.md": explainer(payload="Write `[@nope]` to cite.\n\nNow [@nope].")},
    line="Now [@nope]",
    expect="error",
    note="an unknown citation whose text appears first in code",
)
add(
    "crlf-line-ends",
    files={"evil.md": explainer(payload="Line A.\n\nLine B [@nope].").replace("\n", "\r\n")},
    line="Line B",
    expect="error",
    note="CRLF line ends: the line of an unknown citation",
)
add(
    "bom-and-error",
    files={"evil.md": "\ufeff" + explainer(front="modified: not-a-date")},
    line="modified:",
    expect="error",
    note="a byte-order mark, then an invalid date",
)
add(
    "unsafe-link-in-list",
    files={"evil.md": explainer(payload="- one\n- two\n  [x](javascript&#58;alert(1))\n- three")},
    line="  [x]",
    expect="error",
    note="an encoded javascript link in a list item",
)
add(
    "unsafe-html-second-of-two",
    files={"evil.md": explainer(payload='<p onclick="a()">1</p>\n\nText.\n\n<p onclick="b()">2</p>')},
    line='<p onclick="b()',
    expect="error",
    note="two event handlers: the second is reported at its own line",
)
